package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The live views' two ways into a running accumulator: counters to read often, a copy to report on. */
class AccumulatorCopyTest {

    private static final DiagnosisOptions OPTIONS =
            new DiagnosisOptions(2, 1, new double[] {1.0, 1.5}, new int[] {2, 8}, 0.001);

    /** Token t of a 4-expert, top-2 layer chooses {t mod 4, (t·3 + 1) mod 4} (a different second expert). */
    private static void feed(Routing r, int from, int to) {
        for (int t = from; t < to; t++) {
            int a = t % 4;
            int b = (t * 3 + 1) % 4 == a ? (a + 1) % 4 : (t * 3 + 1) % 4;
            float[] s = {0.1f + 0.1f * a, 0.2f, 0.3f, 0.4f - 0.05f * b};
            r.token(s, a, b);
        }
    }

    private static String report(RoutingAccumulator acc) {
        return DiagnosisJson.toTree(ReportBuilder.build(acc, null, DiagnosisReport.RunInfo.of(java.util.List.of("t"))))
                .toString();
    }

    @Test
    void aCopyMidSequenceReportsWhatAFreshAccumulatorFedTheSameEventsReports() {
        Routing live = new Routing(4, 2, OPTIONS).start();
        feed(live, 0, 20);
        live.end().start();
        feed(live, 20, 33); // an open chunk
        RoutingAccumulator copy = live.acc.copy();

        Routing fresh = new Routing(4, 2, OPTIONS).start();
        feed(fresh, 0, 20);
        fresh.end().start();
        feed(fresh, 20, 33);
        assertEquals(report(fresh.acc), report(copy));

        // the copy closed its chunk and reported; the original goes on as if nothing happened
        feed(live, 33, 50);
        live.end();
        Routing whole = new Routing(4, 2, OPTIONS).start();
        feed(whole, 0, 20);
        whole.end().start();
        feed(whole, 20, 50);
        whole.end();
        assertEquals(report(whole.acc), report(live.acc));
        assertNotEquals(report(copy), report(live.acc));
    }

    @Test
    void countersAreTheReportsCountsAndEntropy() {
        Routing r = new Routing(4, 2, OPTIONS).start();
        feed(r, 0, 12);
        RoutingCounts c = r.acc.counts();
        LayerReport layer = r.acc.copy().layerReports().get(0);
        assertEquals(12, c.tokens());
        assertArrayEquals(layer.load().counts(), c.layer(0));
        assertEquals(layer.scoreEntropy(), c.meanEntropy(), 1e-12);
        assertEquals(layer.load().maxMean(), c.balance(0).maxMean(), 0);
        assertEquals(RoutingCounts.EMPTY, new RoutingAccumulator(null, OPTIONS).counts());
    }

    @Test
    void countsByDecoderLayerPutDenseLayersAsZeroRows() {
        // MoE layers 1 and 3 of 4, E = 3: rows 0 and 2 are dense
        RoutingCounts c = new RoutingCounts(new int[] {1, 3}, 3, 2, new long[] {1, 2, 3, 4, 5, 6}, 0);
        assertArrayEquals(new long[][] {{0, 0, 0}, {1, 2, 3}, {0, 0, 0}, {4, 5, 6}}, c.byDecoderLayer(4));
        assertArrayEquals(new long[0][], RoutingCounts.EMPTY.byDecoderLayer(0));
        assertThrows(IllegalArgumentException.class, () -> c.byDecoderLayer(3));
    }
}
