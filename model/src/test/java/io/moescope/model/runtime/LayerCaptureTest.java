package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.Fixtures;
import io.moescope.model.api.CapturePoint;
import io.moescope.model.api.Intervention;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import io.moescope.model.trace.TraceSink;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The opt-in capture of one (token, layer) equals the engine's own trace of the same run, and adds up. */
class LayerCaptureTest {

    private static final int[] IDS = {73, 71, 6, 78, 103, 105, 122, 51};

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral_f32",
                "qwen2_moe_f32",
                "deepseek_f32",
                "deepseek_v3_f32",
                "gpt_oss_f32",
                "olmoe_f32",
                "qwen3_moe_f32",
                "deepseek_v2_f32",
                "glm4_moe_f32",
                "ernie4_5_moe_f32",
                "granitemoe_f32",
                "granitemoeshared_f32",
                "qwen3_next_f32",
                "qwen3_5_moe_f32",
                "gemma4_f32",
                "lfm2_moe_f32"
            })
    void captureEqualsTheTraceOfTheSameRun(String name) throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir(name))) {
            int layer = m.shape().moeLayers()[m.shape().moeLayerCount() - 1];
            int position = 5;
            TraceRecorder trace = new TraceRecorder(false);
            LayerCapture c = new Generator(m).capture(IDS, Intervention.NONE, new CapturePoint(layer, position), trace);
            RoutingDecision d = trace.of(RoutingDecision.class).stream()
                    .filter(r -> r.layer() == layer && r.position() == position)
                    .findFirst()
                    .orElseThrow();
            assertEquals(layer, c.layer());
            assertEquals(position, c.position());
            assertArrayEquals(d.routerLogits(), c.routerLogits(), name + " logits");
            assertArrayEquals(d.scores(), c.scores(), name + " scores");
            assertArrayEquals(
                    d.selectionScores() == null ? d.scores() : d.selectionScores(),
                    c.selectionScores(),
                    name + " selection scores");
            assertArrayEquals(d.keptGroups(), c.keptGroups(), name + " kept groups");
            assertArrayEquals(d.experts(), c.experts(), name + " experts");
            assertArrayEquals(d.weights(), c.weights(), name + " weights");
            assertEquals(d.routedNorm(), norm(c.routedSum()), name + " routed norm");
            // Gemma 4's trace keeps the dense MLP's norm before its output RMSNorm N_1 (the raw part)
            float[] always = c.expertScale() != null ? c.sharedRaw() : c.shared();
            assertEquals(d.sharedNorm(), c.hasShared() ? norm(always) : 0f, name + " shared norm");
            assertEquals(d.sharedGate(), c.sharedGate(), name + " shared gate");
            assertAddsUp(c, name);
        }
    }

    /** Each step of the walkthrough follows from the one before, to float rounding. */
    private static void assertAddsUp(LayerCapture c, String name) {
        int h = c.hiddenSize();
        float[] w = c.normalisedWeights();
        for (int i = 0; i < w.length; i++) {
            float want = c.rule().scales() ? (float) (w[i] * c.rule().scale()) : w[i];
            if (c.expertScale() != null) {
                want *= c.expertScale()[c.experts()[i]];
            }
            assertEquals(want, c.weights()[i], name + " weight " + i + " = normalised × scale (× per-expert scale)");
        }
        float[][] ys = c.expertOutputs();
        float[] sum = new float[h];
        for (int j = 0; j < ys.length; j++) {
            assertEquals(h, ys[j].length);
            for (int i = 0; i < h; i++) {
                sum[i] += c.weights()[j] * ys[j][i];
            }
        }
        assertArrayEquals(sum, c.routedSum(), 1e-5f, name + " routed sum = Σ w·y");
        float[] out = c.moeOut();
        float[] res = c.residualOut();
        boolean gemma = c.expertScale() != null; // y = N_post(shared + N_2(routed)): checked in gemmaAddsUp
        for (int i = 0; i < h; i++) {
            float shared = c.hasShared() ? c.shared()[i] : 0f;
            if (!gemma) {
                assertEquals(c.routedSum()[i] + shared, out[i], name + " moe out " + i);
            }
            assertEquals(
                    (c.residualIn()[i] + c.residualMultiplier() * out[i]) * c.outputScale(),
                    res[i],
                    1e-6f * Math.max(1, Math.abs(res[i])),
                    name + " residual " + i);
            if (c.hasShared() && !Float.isNaN(c.sharedGate()) && !gemma) {
                assertEquals(c.sharedRaw()[i] * c.sharedGate(), c.shared()[i], name + " gated shared " + i);
            }
        }
    }

    @Test
    void familiesShowTheirOwnRoutingParts() throws Exception {
        try (MoeModel v3 = MoeModel.open(Fixtures.dir("deepseek_v3_f32"));
                MoeModel qwen = MoeModel.open(Fixtures.dir("qwen2_moe_f32"));
                MoeModel mixtral = MoeModel.open(Fixtures.dir("mixtral_f32"))) {
            LayerCapture c = capture(v3, 3);
            assertNotNull(c.selectionBias(), "V3 selects with a bias");
            assertNotNull(c.keptGroups(), "V3 keeps groups");
            assertTrue(!c.rule().softmax() && c.rule().groups() == 4 && c.rule().scales());
            LayerCapture q = capture(qwen, 2);
            assertTrue(q.hasShared() && !Float.isNaN(q.sharedGate()), "Qwen2-MoE's shared expert has a gate");
            LayerCapture x = capture(mixtral, 1);
            assertNull(x.selectionBias());
            assertTrue(!x.hasShared() && x.rule().softmax() && x.rule().normalize());
        }
    }

    @Test
    void interventionsAreCapturedAndApplied() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("mixtral_f32"))) {
            int layer = m.shape().moeLayers()[0];
            LayerCapture plain = capture(m, 4);
            int top = plain.experts()[0];
            LayerCapture ablated = new Generator(m)
                    .capture(
                            IDS,
                            Intervention.NONE.withAblation(layer, top),
                            new CapturePoint(layer, 4),
                            TraceSink.DISABLED);
            assertArrayEquals(new int[] {top}, ablated.ablated());
            assertTrue(java.util.Arrays.stream(ablated.experts()).noneMatch(e -> e == top));
        }
    }

    @Test
    void theProbeChangesNothingInTheRun() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("qwen2_moe_f32"))) {
            TraceRecorder probed = new TraceRecorder(false);
            new Generator(m)
                    .capture(IDS, Intervention.NONE, new CapturePoint(m.shape().moeLayers()[0], 7), probed);
            TraceRecorder plain = new TraceRecorder(false);
            new Generator(m).generate(GenerationRequest.of(IDS, 0, SamplingParams.GREEDY), plain, TokenListener.NONE);
            List<RoutingDecision> a = probed.of(RoutingDecision.class);
            List<RoutingDecision> b = plain.of(RoutingDecision.class);
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i).scores(), a.get(i).scores(), "decision " + i);
                assertArrayEquals(b.get(i).weights(), a.get(i).weights(), "decision " + i);
                assertEquals(b.get(i).routedNorm(), a.get(i).routedNorm(), "decision " + i);
            }
        }
    }

    @Test
    void badPointsAreClearErrors() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_f32"))) {
            Generator g = new Generator(m);
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> g.capture(IDS, Intervention.NONE, new CapturePoint(0, 1), TraceSink.DISABLED))
                    .getMessage()
                    .contains("not an MoE layer"));
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> g.capture(
                                    IDS, Intervention.NONE, new CapturePoint(1, IDS.length), TraceSink.DISABLED))
                    .getMessage()
                    .contains("past the"));
        }
    }

    private static LayerCapture capture(MoeModel m, int position) {
        int layer = m.shape().moeLayers()[0];
        return new Generator(m).capture(IDS, Intervention.NONE, new CapturePoint(layer, position), TraceSink.DISABLED);
    }

    private static float norm(float[] v) {
        double ss = 0;
        for (float x : v) {
            ss += (double) x * x;
        }
        return (float) Math.sqrt(ss);
    }
}
