package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every loss and what-if on routing small enough to check by hand (expected values worked out in comments). */
class RoutingAccumulatorTest {

    private static DiagnosisOptions options(int devices, int limit) {
        return new DiagnosisOptions(devices, limit, new double[] {1.0, 2.0}, new int[] {2, 10}, 0.001);
    }

    /** E = 4, k = 2, T = 4, scores 1/4 each; token t chooses {t, t+1 mod 4}: counts 2 2 2 2, top-1 1 1 1 1. */
    private static Routing uniform(int devices, int limit) {
        Routing r = new Routing(4, 2, options(devices, limit)).start();
        for (int t = 0; t < 4; t++) {
            r.token(Routing.uniform(4), t, (t + 1) % 4);
        }
        return r.end();
    }

    @Test
    void uniformRoutingGivesEachLossItsUniformValue() {
        LayerReport l = uniform(2, 1).layer();
        LossValues v = l.losses();
        assertEquals(1, v.switchAux(), 1e-6); // 4 · Σ (1/4)(1/4)
        assertEquals(1.0 / 16, v.gshardAux(), 1e-6); // 1/E²
        assertEquals(2, v.transformersAux(), 1e-6); // k
        assertEquals(1, v.deepseekExpert(), 1e-6); // (4/2) · Σ (2/4)(1/4)
        assertEquals(0.001, v.deepseekExpertAlpha(), 1e-9);
        assertEquals(1, v.deepseekDevice(), 1e-6); // f_j = 1, P′_d = 1/2
        // tokens reach devices {0}, {0,1}, {1}, {1,0}: 3 each; f″ = 2/(1·4)·3 = 1.5, P″ = 1/2
        assertEquals(1.5, v.deepseekV2Comm(), 1e-6);
        assertEquals(1, v.deepseekV3Seq(), 1e-6);
        assertEquals(0, v.zLoss(), 1e-6); // logits ln(1/4): logsumexp = ln 1 = 0
        assertEquals(1, l.scoreEntropy(), 1e-6);
        assertEquals(1, l.load().balancedness(), 1e-12);
        assertEquals(1.5, l.deviceLimited().meanDevicesPerToken(), 1e-12);
        assertNull(l.bias());
    }

    @Test
    void zLossFromRouterLogits() { // lse(1, 1, −1, −1) = ln(2e + 2/e)
        Routing r = new Routing(4, 1, options(0, 1)).start();
        r.token(new float[] {1, 1, -1, -1}, Routing.uniform(4), null, 0);
        r.token(new float[] {0, 0, 0, 0}, Routing.uniform(4), null, 1); // lse = ln 4
        double a = Math.log(2 * Math.E + 2 / Math.E);
        double b = Math.log(4);
        assertEquals((a * a + b * b) / 2, r.end().layer().losses().zLoss(), 1e-6);
    }

    @Test
    void communicationLossWithTwoDevicesAllowed() { // same routing, M = 2: f″ = 2/(2·4)·3 = 0.75
        assertEquals(0.75, uniform(2, 2).layer().losses().deepseekV2Comm(), 1e-6);
    }

    @Test
    void coActivationCountsPairs() {
        long[][] co = uniform(0, 1).layer().coactivation();
        assertArrayEquals(new long[] {2, 1, 0, 1}, co[0]);
        assertArrayEquals(new long[] {1, 2, 1, 0}, co[1]);
    }

    @Test
    void fullCollapseOntoTwoExperts() { // every token: experts {0, 1}, scores (1/2, 1/2, 0, 0)
        Routing r = new Routing(4, 2, options(2, 1)).start();
        for (int t = 0; t < 4; t++) {
            r.token(new float[] {0.5f, 0.5f, 1e-30f, 1e-30f}, 0, 1);
        }
        LayerReport l = r.end().layer();
        LossValues v = l.losses();
        assertEquals(2, v.deepseekExpert(), 1e-6); // E/k
        assertEquals(2, v.switchAux(), 1e-6); // top-1 always 0: 4 · (1 · 1/2)
        assertEquals(4, v.transformersAux(), 1e-6); // 4 · (1·1/2 + 1·1/2)
        assertEquals(2, v.deepseekDevice(), 1e-6); // f_0 = f_1 = 2 → f′_0 = 2, P′_0 = 1; device 1 adds 0
        assertEquals(2, v.deepseekV2Comm(), 1e-6); // all on device 0: 2/(1·4)·4 · 1
        assertEquals(2, v.deepseekV3Seq(), 1e-6);
        assertEquals(0.5, l.load().balancedness(), 1e-12);
        assertArrayEquals(new int[] {2, 3}, l.load().dead());
        assertEquals(0.5, l.scoreEntropy(), 1e-6); // ln 2 / ln 4
        // C = 1: capacity ⌈1·4·2/4⌉ = 2 per expert → tokens 2 and 3 lose both slots: 4 of 8 dropped
        assertEquals(0.5, l.capacity().get(0).droppedFraction(), 1e-12);
        assertEquals(0.5, l.capacity().get(0).affectedFraction(), 1e-12);
        assertEquals(0, l.capacity().get(1).droppedFraction(), 1e-12); // C = 2: capacity 4
        assertEquals(0, l.deviceLimited().changedTokenFraction(), 1e-12);
    }

    @Test
    void oneDeadExpert() { // E = 4, k = 1: choices 0 1 2 0 1 2 → counts 2 2 2 0
        Routing r = new Routing(4, 1, options(0, 1)).start();
        float[] s = {0.3f, 0.3f, 0.3f, 0.1f};
        for (int t = 0; t < 6; t++) {
            r.token(s, t % 3);
        }
        LayerReport l = r.end().layer();
        assertArrayEquals(new int[] {3}, l.load().dead());
        assertEquals(0.75, l.load().balancedness(), 1e-12);
        // f_i = 4/(1·6) · 2 = 4/3 for i < 3, P = 0.3 → Σ = 3 · 4/3 · 0.3 = 1.2
        assertEquals(1.2, l.losses().deepseekExpert(), 1e-6);
        assertEquals(1.2, l.losses().switchAux(), 1e-6);
        // C = 1: capacity ⌈6/4⌉ = 2 → nothing dropped
        assertEquals(0, l.capacity().get(0).droppedSlots());
    }

    @Test
    void sequenceWiseLossIsAveragedOverChunks() {
        Routing r = new Routing(4, 2, options(0, 1)).start();
        for (int t = 0; t < 2; t++) {
            r.token(new float[] {0.5f, 0.5f, 1e-30f, 1e-30f}, 0, 1); // collapsed chunk: 2
        }
        r.end().start();
        for (int t = 0; t < 4; t++) {
            r.token(Routing.uniform(4), t, (t + 1) % 4); // uniform chunk: 1
        }
        LayerReport l = r.end().layer();
        assertEquals(1.5, l.losses().deepseekV3Seq(), 1e-6);
        assertEquals(2, r.acc.sequences());
        assertEquals(6, r.acc.tokens());
    }

    @Test
    void sigmoidScoresAreNormalisedForTheSequenceLossOnly() { // s = (0.8, 0.8, 0.2, 0.2), k = 2 → {0, 1}
        Routing r = new Routing(4, 2, options(0, 1)).start();
        r.token(new float[] {0, 0, 0, 0}, new float[] {0.8f, 0.8f, 0.2f, 0.2f}, null, 0, 1);
        LossValues v = r.end().layer().losses();
        assertEquals(2 * (0.8 + 0.8), v.deepseekExpert(), 1e-6); // raw s: (4/2) · (1·0.8 + 1·0.8)
        assertEquals(2 * (0.4 + 0.4), v.deepseekV3Seq(), 1e-6); // s′ = s/2: 0.4 each
    }

    @Test
    void selectionBiasEffect() { // unbiased top-2 = {0, 1}; the bias made it {0, 2}
        Routing r = new Routing(4, 2, options(0, 1)).start();
        float[] s = {0.4f, 0.3f, 0.2f, 0.1f};
        r.token(new float[4], s, new float[] {0.4f, 0.3f, 0.5f, 0.1f}, 2, 0);
        r.token(new float[4], s, new float[] {0.5f, 0.4f, 0.2f, 0.1f}, 0, 1);
        LayerReport.BiasEffect b = r.end().layer().bias();
        assertEquals(0.5, b.changedTokenFraction(), 1e-12);
        assertEquals(0.25, b.changedSelectionFraction(), 1e-12);
    }

    @Test
    void deviceLimitedRoutingWhatIf() { // D = 2, M = 1: device 0 (max 0.4) beats device 1 (0.3) → {0, 1}
        Routing r = new Routing(4, 2, options(2, 1)).start();
        r.token(new float[] {0.4f, 0.1f, 0.3f, 0.2f}, 0, 2);
        DeviceLimitedWhatIf.Result d = r.end().layer().deviceLimited();
        assertEquals(1, d.changedTokenFraction(), 1e-12);
        assertEquals(0.5, d.changedSelectionFraction(), 1e-12);
        assertArrayEquals(new int[] {0, 1}, DeviceLimitedWhatIf.limitedTopK(new float[] {.4f, .1f, .3f, .2f}, 2, 1, 2));
    }

    @Test
    void rollingWindows() { // choices 0 0 0 1 1: last 2 → (0, 2); last 10 (5 seen) → (3, 2)
        Routing r = new Routing(2, 1, options(0, 1)).start();
        for (int e : new int[] {0, 0, 0, 1, 1}) {
            r.token(Routing.uniform(2), e);
        }
        var w = r.end().layer().windows();
        assertEquals(2, w.get(0).tokens());
        assertEquals(0.5, w.get(0).balancedness(), 1e-12);
        assertEquals(5, w.get(1).tokens());
        assertEquals(2.5 / 3, w.get(1).balancedness(), 1e-12);
    }

    @Test
    void capacityUsesArrivalOrder() { // E = 2, k = 1, C = 1: capacity ⌈4/2⌉ = 2; tokens 0 0 0 1 → token 2 dropped
        long[] r = CapacityWhatIf.simulate(new int[] {0, 0, 0, 1}, 4, 1, 2, 1.0);
        assertArrayEquals(new long[] {1, 1}, r);
        assertEquals(3, CapacityWhatIf.capacity(1.2, 10, 4, 16));
    }

    @Test
    void domainsAndDevicesThatDoNotDivide() {
        Routing r = new Routing(2, 1, options(0, 1)).start();
        r.acc.setDomain("a");
        r.token(Routing.uniform(2), 0);
        r.acc.setDomain("b");
        r.token(Routing.uniform(2), 1);
        r.end();
        DiagnosisReport rep = ReportBuilder.build(r.acc, null, DiagnosisReport.RunInfo.of(java.util.List.of()));
        assertEquals(2, rep.domains().size());
        assertEquals(1, rep.domainDivergence()[0][1], 1e-12);
        assertEquals(0, rep.domains().get(1).topExperts()[0][0] - 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Routing(16, 2, options(3, 1)));
        assertTrue(e.getMessage().contains("1, 2, 4, 8, 16"), e.getMessage());
    }
}
