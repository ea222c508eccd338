package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.inspect.InspectorViewModel;
import io.moescope.app.load.LayerBalance;
import io.moescope.app.load.LoadStats;
import io.moescope.app.load.LoadViewModel;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** View models driven by a recorded trace, with Runnable::run as the UI executor: no toolkit, no window. */
class ReplayViewModelTest {

    private final Workspace workspace = new Workspace(Runnable::run);

    private List<TraceEvent> replay(String name) throws Exception {
        List<TraceEvent> events = TraceFixtures.events(name);
        workspace.primaryProperty().set(new Run(name, new TraceStore(), null));
        events.forEach(workspace.getPrimary().store()::accept);
        return events;
    }

    @Test
    void gateHeatmapHasOneRowPerTokenAndOutlinesTheChosenExperts() throws Exception {
        GateViewModel gate = new GateViewModel(workspace);
        List<TraceEvent> events = replay("deepseek_f32");
        workspace.layerProperty().set(1); // MoE layer index 1 = decoder layer 2
        HeatmapSnapshot grid = gate.heatmapProperty().get();
        long tokens = events.stream().filter(e -> e instanceof TokenEmitted).count();
        assertEquals(tokens, grid.rows());
        assertEquals(16, grid.cols());
        for (TraceEvent e : events) {
            if (e instanceof RoutingDecision r && r.layer() == 2) {
                for (int expert = 0; expert < 16; expert++) {
                    boolean chosen = false;
                    for (int c : r.experts()) {
                        chosen |= c == expert;
                    }
                    assertEquals(chosen, grid.isMarked(r.position(), expert), "pos " + r.position() + " e" + expert);
                    assertEquals(r.scores()[expert], grid.value(r.position(), expert), 1e-4f);
                }
            }
        }
        assertEquals(RoutingHeatmaps.TAG_PREFILL, grid.rowTag(0));
        assertEquals(RoutingHeatmaps.TAG_DECODE, grid.rowTag(grid.rows() - 1));
        workspace.layerProperty().set(Workspace.ALL_LAYERS);
        assertEquals(3, gate.stackedProperty().get().size());
        assertTrue(gate.describe(0, 2, 3).contains("gate probability"));
    }

    @Test
    void loadCountsEveryChoiceAndBalanceFiguresAreConsistent() throws Exception {
        LoadViewModel load = new LoadViewModel(workspace);
        List<TraceEvent> events = replay("deepseek_f32");
        long routed = events.stream()
                .filter(e -> e instanceof RoutingDecision r && r.layer() == 1)
                .count();
        HeatmapSnapshot grid = load.heatmapProperty().get();
        assertEquals(3, grid.rows());
        float sum = 0;
        for (int e = 0; e < grid.cols(); e++) {
            sum += grid.value(0, e);
        }
        assertEquals(routed * 4, sum, 0f); // top-4
        List<LayerBalance> rows = load.balance();
        assertEquals(3, rows.size());
        for (LayerBalance b : rows) {
            assertTrue(b.maxOverMean() >= 1 && b.entropy() > 0 && b.entropy() <= 1);
        }
        assertTrue(load.csv().startsWith("layer,choices,max_over_mean"));
        assertEquals(new LayerBalance(0, 8, 1, 0, 1, 0), LayerBalance.of(0, new long[] {2, 2, 2, 2}));
        assertEquals(3, LayerBalance.of(0, new long[] {8, 0, 0, 0}).dead());
        // an empty layer: perfectly even by the model's one convention (BalanceMetrics), every expert dead
        assertEquals(new LayerBalance(0, 0, 1, 0, 1, 4), LayerBalance.of(0, new long[4]));
        double h = LoadStats.meanRoutingEntropy(workspace.primaryView());
        assertTrue(h > 0 && h <= 1);
    }

    @Test
    void sharedViewShowsQwensGateWhereThereIsOne() throws Exception {
        SharedViewModel shared = new SharedViewModel(workspace);
        List<TraceEvent> events = replay("qwen2_moe_f32");
        assertTrue(shared.hasGateProperty().get());
        RoutingDecision first = (RoutingDecision) events.stream()
                .filter(e -> e instanceof RoutingDecision)
                .findFirst()
                .orElseThrow();
        assertEquals(first.sharedShare(), shared.heatmapProperty().get().value(0, 0), 0f);
        shared.showGateProperty().set(true);
        assertEquals(first.sharedGate(), shared.heatmapProperty().get().value(0, 0), 0f);
    }

    @Test
    void inspectorAndTranscriptFollowTheSelectedToken() throws Exception {
        InspectorViewModel inspector = new InspectorViewModel(workspace);
        TranscriptViewModel transcript = new TranscriptViewModel(workspace);
        replay("deepseek_f32");
        assertEquals(
                workspace.primaryView().size(), transcript.chipsProperty().get().size());
        assertFalse(transcript.chipsProperty().get().get(7).prefill());
        transcript.select(7);
        assertTrue(inspector.titleProperty().get().startsWith("Token 7"));
        assertEquals(3, inspector.choicesProperty().get().size());
        assertEquals(3, inspector.heatmapProperty().get().rows());
        assertEquals(4, inspector.choicesProperty().get().get(0).experts().length);
    }
}
