package io.moescope.app.window;

import io.moescope.app.session.RecentFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The whole window, headless, with this checkout as {@code moescope.home} (so the embedded models, lessons and the
 * demo corpus are the repository's): what the teaching FX tests share. A subclass has
 * {@code @Start void start(Stage stage) { open(stage); }}. Problems the window reports are collected;
 * the preferences node is the test's own and is removed afterwards, and the home property is put back.
 */
@ExtendWith(ApplicationExtension.class)
abstract class RepoWindowFxTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    final List<String> problems = new ArrayList<>();
    final Preferences prefs =
            Preferences.userRoot().node("io/moescope/test-" + getClass().getSimpleName() + "-" + System.nanoTime());
    private final String home = System.getProperty("moescope.home");
    Explorer explorer;
    MainView main;

    /**
     * Opens the window; each subclass calls it from its own {@code @Start} method (TestFX looks for that annotation
     * on the test class itself, not on its superclasses).
     */
    void open(Stage stage) {
        System.setProperty("moescope.home", REPO.toString());
        explorer = new Explorer(
                Platform::runLater, (title, message) -> problems.add(title + ": " + message), new RecentFiles(prefs));
        main = ExplorerWindow.show(stage, explorer, prefs);
    }

    @AfterEach
    void tearDown() throws Exception {
        explorer.close();
        prefs.removeNode();
        if (home == null) {
            System.clearProperty("moescope.home");
        } else {
            System.setProperty("moescope.home", home);
        }
    }
}
