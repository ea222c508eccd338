package io.moescope.app.window;

import io.moescope.app.session.RecentFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window, headless, as the window FX tests open it: an {@link Explorer} whose problems are collected in
 * {@link #problems}, shown by {@link ExplorerWindow}, with a preferences node of the test's own that is removed
 * afterwards. A subclass has {@code @Start void start(Stage stage) { open(stage); }} (TestFX looks for that
 * annotation on the test class itself, not on its superclasses), or {@link #openInCheckout} where the window needs
 * the repository's embedded models, lessons and demo corpus.
 */
@ExtendWith(ApplicationExtension.class)
abstract class WindowFxTest {

    /** This checkout, the {@code moescope.home} of {@link #openInCheckout}. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    final List<String> problems = new ArrayList<>();
    final Preferences prefs =
            Preferences.userRoot().node("io/moescope/test-" + getClass().getSimpleName() + "-" + System.nanoTime());
    private final String home = System.getProperty("moescope.home");
    private boolean homeSet;
    Stage stage;
    Explorer explorer;
    MainView main;

    /** Opens the window with {@code moescope.home} as it is (the module directory under surefire). */
    void open(Stage stage) {
        this.stage = stage;
        explorer = new Explorer(
                Platform::runLater, (title, message) -> problems.add(title + ": " + message), new RecentFiles(prefs));
        main = ExplorerWindow.show(stage, explorer, prefs);
    }

    /** Opens the window with this checkout as {@code moescope.home}; the property is put back afterwards. */
    void openInCheckout(Stage stage) {
        homeSet = true;
        System.setProperty("moescope.home", REPO.toString());
        open(stage);
    }

    @AfterEach
    void closeWindow() throws Exception {
        explorer.close();
        prefs.removeNode();
        if (!homeSet) {
            return;
        }
        if (home == null) {
            System.clearProperty("moescope.home");
        } else {
            System.setProperty("moescope.home", home);
        }
    }

    /** Runs {@code action} on the FX thread and returns its result (patient: a busy 2-core host is slow). */
    static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
    }
}
