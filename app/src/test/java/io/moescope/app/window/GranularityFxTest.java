package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.heatmap.HeatmapCanvas;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The fine vs coarse view in the whole window, headless: opened from the shipped lesson, both sides drawn. */
class GranularityFxTest extends WindowFxTest {

    @Start
    void start(Stage stage) {
        openInCheckout(stage);
    }

    @Test
    void theLessonShowsBothModelsOnItsPrompt(FxRobot robot) throws Exception {
        Path lesson = REPO.resolve("resources/lessons/fine-grained-and-shared-experts.json");
        assertTrue(onFx(() -> main.teach().openLesson(lesson)), problems::toString);
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
        assertTrue(status.contains("weight held by ranks 2..k: tiny-deepseekmoe "), status);
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
