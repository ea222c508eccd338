package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Heatmaps kept up to date row by row equal the same heatmaps rebuilt from scratch, through drops and restarts. */
class TokenRowsTest {

    private static final int LAYERS = 3;
    private static final int EXPERTS = 8;
    private final ModelShape shape = new ModelShape("deepseek", LAYERS, new int[] {0, 1, 2}, EXPERTS, 1, 2, 10);
    private final Random random = new Random(11);

    @Test
    void gateRowsEqualAFullRebuildWhileTheRingDropsPositions() {
        TraceStore store = smallStore();
        store.accept(new SequenceStarted(1, shape));
        TokenRows rows = new TokenRows(
                RoutingHeatmaps.expertLabels(EXPERTS), (t, row) -> RoutingHeatmaps.gateRow(t, 1, row), true);
        int position = 0;
        while (position < 1500) {
            int burst = 1 + random.nextInt(40); // tokens between two refreshes
            for (int i = 0; i < burst; i++) {
                emit(store, position++);
            }
            TraceSnapshot view = store.view();
            assertSameGrid(RoutingHeatmaps.gate(view, 1), rows.update(view));
        }
        assertEquals(position - 256, store.view().droppedPositions());
    }

    @Test
    void sharedRowsEqualAFullRebuildAndANewSequenceStartsOver() {
        TraceStore store = smallStore();
        store.accept(new SequenceStarted(1, shape));
        TokenRows rows = new TokenRows(
                SharedHeatmaps.labels(shape), (t, row) -> SharedHeatmaps.row(shape, t, false, row), false);
        for (int p = 0; p < 300; p++) {
            emit(store, p);
            if (p % 17 == 0) {
                assertSameGrid(SharedHeatmaps.full(store.view(), false), rows.update(store.view()));
            }
        }
        store.accept(new SequenceStarted(2, shape));
        assertEquals(0, rows.update(store.view()).rows());
        for (int p = 0; p < 5; p++) {
            emit(store, p);
        }
        assertSameGrid(SharedHeatmaps.full(store.view(), false), rows.update(store.view()));
    }

    @Test
    void gateViewModelStackedAndSingleLayerMatchTheFullBuilders() {
        Workspace workspace = new Workspace(Runnable::run);
        GateViewModel gate = new GateViewModel(workspace);
        TraceStore store = smallStore();
        workspace.primaryProperty().set(new Run("test", store, null));
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 400; p++) {
            emit(store, p);
            if (p == 100) {
                workspace.layerProperty().set(Workspace.ALL_LAYERS);
            } else if (p == 200) {
                workspace.layerProperty().set(2);
            }
            TraceSnapshot view = workspace.primaryView();
            if (p >= 100 && p < 200) {
                var stacked = gate.stackedProperty().get();
                assertEquals(LAYERS, stacked.size());
                for (int l = 0; l < LAYERS; l++) {
                    assertSameGrid(RoutingHeatmaps.gate(view, l), stacked.get(l).snapshot());
                }
            } else {
                assertSameGrid(
                        RoutingHeatmaps.gate(view, p < 100 ? 0 : 2),
                        gate.heatmapProperty().get());
            }
            TokenTrace last = view.tokens().get(view.size() - 1);
            assertEquals(last, gate.tokenAt(view.size() - 1));
        }
    }

    private TraceStore smallStore() {
        return new TraceStore(TokenTrace.bytesPerPosition(LAYERS, EXPERTS, 2) * 10, false); // 256-position floor
    }

    private void emit(TraceStore store, int position) {
        for (int l = 0; l < LAYERS; l++) {
            float[] scores = new float[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) {
                scores[e] = random.nextFloat() * (l + 1) / (2f * EXPERTS);
            }
            int a = random.nextInt(EXPERTS);
            int b = (a + 1 + random.nextInt(EXPERTS - 1)) % EXPERTS;
            store.accept(new RoutingDecision(
                    1,
                    position,
                    l,
                    new float[EXPERTS],
                    scores,
                    null,
                    null,
                    new int[] {a, b},
                    new float[] {.6f, .4f},
                    1f,
                    random.nextFloat(),
                    Float.NaN));
        }
        store.accept(new TokenEmitted(
                1, position, position % 10, "t" + position, position < 5 ? Phase.PREFILL : Phase.DECODE));
    }

    static void assertSameGrid(HeatmapSnapshot expected, HeatmapSnapshot actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
        assertArrayEquals(expected.values(), actual.values());
        assertEquals(expected.marked(), actual.marked());
        assertEquals(expected.rowLabels(), actual.rowLabels());
        assertEquals(expected.colLabels(), actual.colLabels());
        assertArrayEquals(expected.rowTags(), actual.rowTags());
        assertEquals(List.copyOf(expected.rowLabels()), List.copyOf(actual.rowLabels()));
    }
}
