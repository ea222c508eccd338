package io.moescope.model.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.MlaFixtures;
import io.moescope.model.config.ModelConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepSeek-V2/V3 routing pitfalls (spec §1.2–1.3, §10.5, 10.6, 10.16). E = 8 experts, 2 groups of 4. */
class DeepseekRoutingTest {

    @TempDir
    Path tmp;

    static final RoutingRule V3_LIKE = new RoutingRule(false, "noaux_tc", 2, 1, 2, true, 2.5, false, true);

    static float sigmoid(double z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    static double sum(float[] w) {
        double s = 0;
        for (float v : w) {
            s += v;
        }
        return s;
    }

    @Test
    void noauxBiasChoosesExpertsButWeightsComeFromUnbiasedScores() {
        RoutingRule rule = new RoutingRule(false, "noaux_tc", 1, 1, 2, true, 2.5, false, true);
        float[] z = {2, 1.5f, 1, 0.5f, 0, -0.5f, -1, -1.5f};
        float[] bias = {0, 0, 0, 0, 0, 0, 0, 1.0f};
        Route r = new Router(rule, bias, 8).route(z, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {7, 0}, r.experts(), "bias lifts expert 7 (σ = 0.18) above all others");
        double s7 = sigmoid(-1.5);
        double s0 = sigmoid(2);
        assertEquals(2.5 * s7 / (s7 + s0), r.weights()[0], 1e-6, "weight from σ(z), not σ(z) + b");
        assertEquals(2.5 * s0 / (s7 + s0), r.weights()[1], 1e-6);
        assertEquals(2.5, sum(r.weights()), 1e-6, "V3: normalise, then × routed_scaling_factor");
        assertEquals(r.scores()[7] + 1.0f, r.selectionScores()[7], 1e-7);
    }

    @Test
    void groupScoreIsTheSumOfTheTopTwoBiasedScores() {
        // unbiased σ: g0 = [.95 .5 .12 .12] (max .95, top-2 sum 1.45), g1 = [.12 .12 .12 .12]
        // biased c:   g1 = [.82 .82 .12 .12] (max .82 < .95 but top-2 sum 1.64 > 1.45) → only sum-of-top-2 biased keeps
        // g1
        float[] z = {3, 0, -2, -2, -2, -2, -2, -2};
        float[] bias = {0, 0, 0, 0, 0.7f, 0.7f, 0, 0};
        Route r = new Router(V3_LIKE, bias, 8).route(z, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {1}, r.keptGroups());
        assertArrayEquals(new int[] {4, 5}, r.experts());
        Route unbiased = new Router(V3_LIKE, null, 8).route(z, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {0}, unbiased.keptGroups(), "without the bias group 0 wins");
    }

    @Test
    void maskedGroupsUseMinusInfinitySoNegativeAllowedScoresStillWin() {
        // σ(0) = .5; biases make every selection score negative; group 0 is kept (top-2 sum −.45 vs −1.0).
        // With 0.0 masking the four masked experts (score 0) would beat the allowed ones.
        RoutingRule rule = new RoutingRule(false, "noaux_tc", 2, 1, 4, true, 2.5, false, true);
        float[] z = new float[8];
        float[] bias = {-0.7f, -0.75f, -0.8f, -0.85f, -1f, -1f, -1f, -1f};
        Route r = new Router(rule, bias, 8).route(z, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {0}, r.keptGroups());
        assertArrayEquals(new int[] {0, 1, 2, 3}, r.experts());
    }

    @Test
    void groupLimitedGreedyKeepsGroupsByTheirBestScore() {
        RoutingRule rule = new RoutingRule(true, "group_limited_greedy", 2, 1, 2, false, 16, true, true);
        float[] z = {3, 0, 0, 0, 2.5f, 2.5f, 0, 0}; // g0 max wins although g1 has the larger top-2 sum
        Route r = new Router(rule, null, 8).route(z, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {0}, r.keptGroups());
        assertArrayEquals(new int[] {0, 1}, r.experts());
        assertEquals(16 * (r.scores()[0] + r.scores()[1]), sum(r.weights()), 1e-5, "V2: raw softmax × 16");
    }

    @Test
    void v2NormalisesXorScalesAndV3NormalisesThenScales() throws Exception {
        float[] z = {2, 1.5f, 1, 0.5f, 0, -0.5f, -1, -1.5f, 0, 0, 0, 0, 0, 0, 0, 0};
        Route v2 = route(MlaFixtures.config(tmp.resolve("a"), "deepseek_v2_f32", Map.of()), z);
        assertTrue(sum(v2.weights()) > 1.5 && sum(v2.weights()) < 16, "norm_topk_prob false: raw probs × 16");
        Route v2n = route(MlaFixtures.config(tmp.resolve("b"), "deepseek_v2_f32", Map.of("norm_topk_prob", true)), z);
        assertEquals(1.0, sum(v2n.weights()), 1e-6, "norm_topk_prob true: normalised and NOT scaled by 16");
        Route v3 = route(MlaFixtures.config(tmp.resolve("c"), "deepseek_v3_f32", Map.of()), z);
        assertEquals(2.5, sum(v3.weights()), 1e-6, "V3: normalised, then × 2.5");
        Route v3raw =
                route(MlaFixtures.config(tmp.resolve("d"), "deepseek_v3_f32", Map.of("norm_topk_prob", false)), z);
        assertEquals(2.5 * sum(pick(v3raw.scores(), v3raw.experts())), sum(v3raw.weights()), 1e-5);
    }

    @Test
    void greadySpellingIsGreedy() throws Exception {
        ModelConfig c = MlaFixtures.config(tmp, "deepseek_v2_lite_f32", Map.of("topk_method", "gready"));
        assertEquals("greedy", c.topkMethod());
        assertEquals("greedy", RoutingRule.of(c).method());
    }

    static Route route(ModelConfig c, float[] z) {
        return new Router(RoutingRule.of(c), c.family().modelType().equals("deepseek_v3") ? new float[16] : null, 16)
                .route(z, 0, Set.of(), null, 0);
    }

    static float[] pick(float[] s, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = s[idx[i]];
        }
        return out;
    }
}
