package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.AlwaysOnPart;
import io.moescope.model.trace.DenseLayerOutput;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The always-on-vs-routed view model: every decoder layer a column, the parts named in the legend. */
class SharedViewModelTest {

    private final Workspace workspace = new Workspace(Runnable::run);
    private final SharedViewModel viewModel = new SharedViewModel(workspace);

    private TraceStore store() {
        workspace.primaryProperty().set(new Run("t", new TraceStore(), null));
        return workspace.getPrimary().store();
    }

    @Test
    void aVersionOneDeepseekTraceShowsItsDenseLayerAndNamesBothParts() throws Exception {
        List<TraceEvent> events = TraceFixtures.events("deepseek_f32"); // version 1: no always_on, no dense lines
        TraceStore store = store();
        events.forEach(store::accept);
        assertEquals(
                "dense FFN: L0 · shared experts ×2: L1–L3",
                viewModel.legendProperty().get());
        assertTrue(viewModel.hasSharedProperty().get());
        HeatmapSnapshot grid = viewModel.heatmapProperty().get();
        assertEquals(4, grid.cols(), "every decoder layer, the dense one too");
        assertEquals(List.of("L0 dense", "L1", "L2", "L3"), grid.colLabels());
        RoutingDecision first = (RoutingDecision) events.stream()
                .filter(e -> e instanceof RoutingDecision)
                .findFirst()
                .orElseThrow();
        assertEquals(1, first.layer());
        assertEquals(first.sharedShare(), grid.value(0, 1), 0f);
        assertEquals(1f, grid.value(0, 0), 0f, "a dense layer's FFN is all always-on");
        assertTrue(Float.isNaN(grid.value(grid.rows() - 1, 0)), "the last token never went through the layers");
    }

    @Test
    void aDenseLayerSwitchedOffShowsZeroAndTheGateColumnIsEmptyThere() {
        ModelShape shape = new ModelShape(
                "qwen2_moe",
                2,
                new int[] {1},
                4,
                1,
                2,
                8,
                1,
                new int[0],
                List.of(AlwaysOnPart.DENSE_FFN, AlwaysOnPart.GATED_SHARED_EXPERT));
        TraceStore store = store();
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 2; p++) {
            store.accept(new DenseLayerOutput(1, p, 0, p == 0 ? 2.5f : 0f)); // position 1: always-on parts off
            store.accept(new RoutingDecision(
                    1,
                    p,
                    1,
                    new float[4],
                    new float[] {.4f, .3f, .2f, .1f},
                    null,
                    null,
                    new int[] {0, 1},
                    new float[] {.6f, .4f},
                    3f,
                    1f,
                    .25f));
            store.accept(new TokenEmitted(1, p, 5, "x", Phase.PREFILL, 0));
        }
        assertEquals(
                "dense FFN: L0 · gated shared expert: L1",
                viewModel.legendProperty().get());
        HeatmapSnapshot grid = viewModel.heatmapProperty().get();
        assertEquals(1f, grid.value(0, 0), 0f);
        assertEquals(0f, grid.value(1, 0), 0f, "switched off");
        assertEquals(0.25f, grid.value(0, 1), 1e-6f, "|always-on| / (|always-on| + |routed|) = 1 / 4");
        assertTrue(viewModel.hasGateProperty().get());
        viewModel.showGateProperty().set(true);
        assertTrue(Float.isNaN(viewModel.heatmapProperty().get().value(0, 0)), "a dense layer has no gate");
        assertEquals(0.25f, viewModel.heatmapProperty().get().value(0, 1), 0f);
    }

    @Test
    void aModelWithRoutedExpertsOnlySaysSo() {
        TraceStore store = store();
        store.accept(new SequenceStarted(1, new ModelShape("olmoe", 2, new int[] {0, 1}, 4, 0, 2, 8)));
        assertFalse(viewModel.hasSharedProperty().get());
        assertEquals("nothing (routed experts only)", viewModel.legendProperty().get());
    }

    @Test
    void hybridColumnsNameTheirTokenMixer() {
        ModelShape lfm2 = new ModelShape(
                "lfm2_moe", 3, new int[] {1, 2}, 4, 0, 2, 10, 1, new io.moescope.model.trace.TokenMixer[] {
                    io.moescope.model.trace.TokenMixer.SHORT_CONV,
                    io.moescope.model.trace.TokenMixer.ATTENTION,
                    io.moescope.model.trace.TokenMixer.SHORT_CONV
                });
        assertEquals(List.of("L0 conv dense", "L1 attn", "L2 conv"), SharedHeatmaps.labels(lfm2));
    }
}
