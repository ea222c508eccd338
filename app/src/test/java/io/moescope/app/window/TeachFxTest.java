package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.teach.WalkStep;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.viz.VizTheme;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Teaching in the whole window, headless: play the shipped lesson, step with the keys, present, bad lessons. */
class TeachFxTest extends WindowFxTest {

    @Start
    void start(Stage stage) {
        openInCheckout(stage);
    }

    private String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void playTheLessonAndStepThroughTheToken(FxRobot robot) throws Exception {
        Path lesson = REPO.resolve("resources/lessons/one-token-through-an-moe-layer.json");
        assertTrue(onFx(() -> main.teach().openLesson(lesson)));
        explorer.lessons.pending().get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(
                "tab-walk", main.tabs().getSelectionModel().getSelectedItem().getId());
        assertTrue(robot.lookup("#lesson").query().isVisible());
        assertTrue(text(robot, "#lesson-progress").endsWith("step 1 of 13"), text(robot, "#lesson-progress"));
        assertTrue(text(robot, "#lesson-note").startsWith("We follow one token"));
        assertTrue(
                text(robot, "#walk-step-title").startsWith("Step 1 of 9: Hidden state in"),
                text(robot, "#walk-step-title"));
        assertTrue(text(robot, "#walk-header").contains("position 4, decoder layer 1"), text(robot, "#walk-header"));
        assertTrue(text(robot, "#walk-variant").startsWith("DeepSeekMoE: softmax + selection bias, top-4 of 16"));
        assertTrue(explorer.walkthrough.inputProperty().get().hasWeights());

        robot.clickOn("#lesson-next");
        waitFor(() -> explorer.lessons.indexProperty().get() == 1
                && !explorer.lessons.busyProperty().get());
        assertTrue(text(robot, "#walk-step-title").contains("Router logits"), text(robot, "#walk-step-title"));
        assertTrue(text(robot, "#walk-formula").startsWith("z = W_r · x"));

        // the keys: → step, ↓ layer, PgDn token (the walkthrough takes them once clicked)
        robot.clickOn("#walk-canvas");
        robot.type(KeyCode.RIGHT);
        assertEquals(
                WalkStep.Kind.SCORES, explorer.walkthrough.stepProperty().get().kind());
        float[] scores = explorer.walkthrough.stepProperty().get().bars().get(0).values();
        assertEquals(explorer.walkthrough.inputProperty().get().decision().scores()[0], scores[0]);
        robot.type(KeyCode.LEFT);
        assertEquals(
                WalkStep.Kind.LOGITS, explorer.walkthrough.stepProperty().get().kind());
        robot.type(KeyCode.DOWN);
        waitFor(() -> explorer.walkthrough.inputProperty().get() != null
                && explorer.walkthrough.inputProperty().get().layer() == 2);
        robot.type(KeyCode.PAGE_DOWN);
        waitFor(() -> explorer.walkthrough.inputProperty().get() != null
                && explorer.walkthrough.inputProperty().get().position() == 5);
        assertTrue(text(robot, "#walk-header").contains("position 5, decoder layer 2"), text(robot, "#walk-header"));

        // an intervention step of the lesson re-runs the prompt with it
        onFx(() -> explorer.lessons.go(10)).get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, explorer.workspace.getPrimary().request().intervention().topK());
        assertEquals(1, explorer.walkthrough.inputProperty().get().decision().topK());
        assertEquals(
                WalkStep.Kind.WEIGHTS, explorer.walkthrough.stepProperty().get().kind());
        onFx(() -> explorer.lessons.go(12)).get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(
                "tab-gate", main.tabs().getSelectionModel().getSelectedItem().getId());
        assertTrue(explorer.workspace.getPrimary().request().intervention().isNone());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void presentationModeShowsOneViewLargeAndEscapeLeavesIt(FxRobot robot) throws Exception {
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        onFx(() -> explorer.engine.generate(
                        GenerationRequest.of(new int[] {1, 17, 42, 5, 99, 23}, 6, SamplingParams.GREEDY), false, null))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        double normal = robot.lookup("#status").queryAs(Label.class).getFont().getSize();
        assertTrue(robot.lookup(".menu-bar").tryQuery().isPresent());

        robot.press(KeyCode.F5).release(KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(main.teach().presentation().isPresenting());
        assertFalse(robot.lookup(".menu-bar").tryQuery().isPresent(), "no chrome");
        assertFalse(robot.lookup("#status").tryQuery().isPresent(), "no status bar");
        assertTrue(main.root().getStyleClass().contains("presentation"));
        HeatmapCanvas heat = robot.lookup(".heatmap-canvas").queryAs(HeatmapCanvas.class);
        assertNotNull(heat.getScene(), "the gate view is presented");
        double x = heat.getWidth() * 0.4;
        double y = 0;
        while (y < heat.getHeight() && heat.cellAt(x, y).isEmpty()) {
            y += 2;
        }
        assertTrue(y < heat.getHeight(), "a cell to point at");
        robot.moveTo(heat.localToScreen(x, y + 3));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(main.teach().presentation().bandsShown(), "the pointer's row and column are outlined");

        // large, high-contrast text in the walkthrough, in both themes
        // (a heatmap tooltip takes the first Esc, as popups do: point away first)
        robot.moveTo(heat.localToScreen(heat.getWidth() - 2, heat.getHeight() - 2));
        WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> {
            javafx.stage.Window.getWindows().stream()
                    .filter(w -> w instanceof javafx.stage.PopupWindow)
                    .toList()
                    .forEach(javafx.stage.Window::hide);
            return null;
        });
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(main.teach().presentation().isPresenting());
        assertTrue(robot.lookup(".menu-bar").tryQuery().isPresent(), "Esc puts the chrome back");
        assertEquals(
                normal, robot.lookup("#status").queryAs(Label.class).getFont().getSize());
        onFx(() -> {
            main.teach().walkThrough();
            return null;
        });
        waitFor(() -> explorer.walkthrough.inputProperty().get() != null);
        for (VizTheme theme : VizTheme.values()) {
            onFx(() -> {
                main.actions().setTheme(theme);
                main.teach().togglePresentation();
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            Label header = robot.lookup("#walk-header").queryAs(Label.class);
            assertTrue(
                    header.getFont().getSize() >= 30,
                    "header " + header.getFont().getSize());
            assertEquals(theme == VizTheme.DARK ? Color.WHITE : Color.BLACK, header.getTextFill(), theme.name());
            assertTrue(explorer.walkthroughView.canvas().presentingProperty().get());
            assertEquals(
                    theme == VizTheme.LIGHT,
                    explorer.walkthroughView.canvas().lightProperty().get());
            onFx(() -> {
                main.teach().togglePresentation();
                return null;
            });
        }
        assertTrue(main.tabs().getSelectionModel().getSelectedItem().getContent() != null, "the view is back");
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void aBadLessonIsOneLineAndTheWindowStaysUsable(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("broken.json");
        Files.writeString(bad, "{\"title\": \"x\", \"steps\": [{\"note\": \"n\", \"prompt\": \"p\", \"view\": 3}]}");
        assertFalse(onFx(() -> main.teach().openLesson(bad)));
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("Cannot open the lesson: broken.json: step 1: \"view\" must be text", problems.get(0));
        assertFalse(robot.lookup("#lesson").query().isVisible());
        onFx(() -> main.select("walk"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(text(robot, "#walk-header").startsWith("Generate or open a trace"));
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(explorer.engine.getModel(), "the window still works");
    }
}
