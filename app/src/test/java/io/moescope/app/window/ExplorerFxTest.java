package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.runtime.Generator;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The whole window, headless: open a fixture model, generate, inspect a token, ablate and compare. */
class ExplorerFxTest extends WindowFxTest {

    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Test
    void generateInspectAblateCompare(FxRobot robot) throws Exception {
        assertTrue(robot.lookup("#empty-state").query().isVisible());
        var dir = TraceFixtures.fixtureModel("deepseek_f32");
        onFx(() -> explorer.engine.openModel(dir)).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(explorer.engine.getModel());
        assertEquals(
                dir.toAbsolutePath().normalize(), explorer.engine.recentFiles().lastModel());

        onFx(() -> {
                    explorer.prompt.promptProperty().set("1, 17, 42, 5, 99, 23");
                    explorer.prompt.maxTokensProperty().set(5);
                    return explorer.prompt.generate();
                })
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);

        // the view models hold exactly the routing the engine emits for this request
        TraceRecorder reference = new TraceRecorder(false);
        Run run = explorer.workspace.getPrimary();
        new Generator(explorer.engine.getModel()).generate(run.request(), reference, (p, id, t, ph) -> {});
        TraceSnapshot view = explorer.workspace.primaryView();
        assertEquals(6 + 5, view.size());
        for (RoutingDecision r : reference.of(RoutingDecision.class)) {
            TokenTrace t = view.at(r.position());
            assertEquals(r.experts()[0], t.chosenExpert(view.shape().moeIndex(r.layer()), 0));
        }
        assertEquals(view.size(), explorer.gate.heatmapProperty().get().rows());
        assertEquals(view.size(), robot.lookup(".chip").queryAll().size());

        // before any click the inspector shows the newest token the model ran (the last sampled one never ran)
        assertTrue(
                robot.lookup("#inspector-title").queryAs(Label.class).getText().startsWith("Newest token 9"),
                robot.lookup("#inspector-title").queryAs(Label.class).getText());
        assertEquals(3, explorer.inspector.choicesProperty().get().size());
        assertEquals(
                10,
                robot.lookup("#inspector-next")
                        .queryAs(Label.class)
                        .getText()
                        .lines()
                        .count());

        // click a generated token in the transcript → inspector
        Label chip = (Label) robot.lookup(".chip-decode").queryAll().iterator().next();
        robot.clickOn(chip);
        WaitForAsyncUtils.waitForFxEvents();
        int position = explorer.workspace.selectedPositionProperty().get();
        assertEquals(6, position);
        assertTrue(
                robot.lookup("#inspector-title").queryAs(Label.class).getText().startsWith("Token 6"));
        assertEquals(3, explorer.inspector.choicesProperty().get().size());
        assertEquals(10, explorer.inspector.nextProperty().get().size());

        // ablate the top expert of the first MoE layer at that token, re-run, compare
        int layer = view.decoderLayer(0);
        int expert = view.at(position).topExpert(0);
        onFx(() -> {
                    explorer.interventions.ablate(layer, expert);
                    return explorer.interventions.rerun();
                })
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        TraceSnapshot b = explorer.workspace.comparisonView();
        for (TokenTrace t : b.tokens()) {
            if (t.chosenCount(0) > 0) {
                assertEquals(-1, t.rankOf(0, expert), "ablated expert chosen at " + t.position());
            }
        }
        var comparison = explorer.compare.comparisonProperty().get();
        assertEquals(0, comparison.firstDivergentLayer());
        assertTrue(comparison.meanJaccard()[0] < 1f);
        assertFalse(explorer.compare.nextBProperty().get().isEmpty());
        assertTrue(explorer.compare.summaryProperty().get().contains("first diverges in layer " + layer));
    }
}
