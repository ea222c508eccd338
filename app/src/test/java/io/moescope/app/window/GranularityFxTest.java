package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.session.RecentFiles;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The fine vs coarse view in the whole window, headless: opened from the shipped lesson, both sides drawn. */
@ExtendWith(ApplicationExtension.class)
class GranularityFxTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private final List<String> problems = new ArrayList<>();
    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-granularity-" + System.nanoTime());
    private final String home = System.getProperty("moescope.home");
    private Explorer explorer;
    private MainView main;

    @Start
    void start(Stage stage) {
        System.setProperty("moescope.home", REPO.toString());
        explorer = new Explorer(
                Platform::runLater, (title, message) -> problems.add(title + ": " + message), new RecentFiles(prefs));
        main = ExplorerWindow.show(stage, explorer, prefs);
    }

    @AfterEach
    void tearDown() {
        explorer.close();
        try {
            prefs.removeNode();
        } catch (java.util.prefs.BackingStoreException e) {
            throw new IllegalStateException(e);
        }
        if (home == null) {
            System.clearProperty("moescope.home");
        } else {
            System.setProperty("moescope.home", home);
        }
    }

    @Test
    void theLessonShowsBothModelsOnItsPrompt(FxRobot robot) throws Exception {
        Path lesson = REPO.resolve("resources/lessons/fine-grained-and-shared-experts.json");
        assertTrue(
                WaitForAsyncUtils.asyncFx(() -> main.teach().openLesson(lesson)).get(10, TimeUnit.SECONDS),
                problems::toString);
        explorer.lessons.pending().get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(
                120,
                TimeUnit.SECONDS,
                () -> explorer.granularity.reportProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(
                "tab-granularity",
                main.tabs().getSelectionModel().getSelectedItem().getId());
        assertEquals(
                explorer.workspace.getPrimary().prompt(),
                explorer.granularity.reportProperty().get().prompt(),
                "the view runs the lesson's prompt");
        String status = robot.lookup("#granularity-status").queryAs(Label.class).getText();
        assertTrue(status.contains("weight held by ranks 2..k: tiny-deepseekmoe-fine "), status);
        HeatmapCanvas fine = robot.lookup("#fine-routing").queryAs(HeatmapCanvas.class);
        HeatmapCanvas coarse = robot.lookup("#coarse-routing").queryAs(HeatmapCanvas.class);
        assertEquals(16, fine.getSnapshot().cols());
        assertEquals(6, coarse.getSnapshot().cols());
        assertEquals(fine.getSnapshot().rows(), coarse.getSnapshot().rows());
        assertTrue(fine.getHeight() > 50 && coarse.getHeight() > 50, "both routing maps are on screen");
        assertTrue(robot.lookup("#coarse-combinations")
                .queryAs(Label.class)
                .getText()
                .contains("(15 possible)"));
    }
}
