package io.moescope.app.teach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.teach.WalkStep.Kind;
import io.moescope.model.api.CapturePoint;
import io.moescope.model.api.Intervention;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every walkthrough step shows exactly the engine's numbers for that token: its capture and its trace. */
class WalkStepsTest {

    static String[] families() {
        return ALL;
    }

    private static final int[] IDS = {73, 71, 6, 78, 103, 105, 122, 51};
    private static final Map<String, String> VARIANT = Map.ofEntries(
            Map.entry("mixtral_f32", "Mixtral: softmax, top-2 of 8, renormalised"),
            Map.entry(
                    "qwen2_moe_f32",
                    "Qwen2-MoE: softmax, top-4 of 12, not renormalised + a shared expert behind a sigmoid gate"),
            Map.entry(
                    "deepseek_f32",
                    "DeepSeekMoE: softmax, top-4 of 16 fine-grained experts, not renormalised + 2 shared "
                            + "experts always on"),
            Map.entry(
                    "deepseek_v3_f32",
                    "DeepSeek-V3: sigmoid + selection bias, best 2 of 4 groups, top-4 of 16 fine-grained "
                            + "experts, renormalised, × 2.5 + 1 shared expert always on"),
            Map.entry("gpt_oss_f32", "gpt-oss: top-2 of 8 logits, softmax over those 2"),
            Map.entry(
                    "glm4_moe_f32",
                    "GLM-4.5: sigmoid + selection bias, best 2 of 4 groups, top-3 of 8, renormalised, × 2.5 + 2 "
                            + "shared experts always on"),
            Map.entry(
                    "ernie4_5_moe_f32",
                    "ERNIE 4.5: softmax + selection bias, top-3 of 8, renormalised + 2 shared experts " + "always on"),
            Map.entry(
                    "granitemoeshared_f32", "Granite MoE: softmax, top-2 of 8, renormalised + a shared MLP always on"),
            Map.entry(
                    "qwen3_5_moe_f32",
                    "Qwen3.5: softmax, top-3 of 8, renormalised + a shared expert behind a sigmoid gate"),
            Map.entry(
                    "gemma4_f32",
                    "Gemma 4: softmax, top-3 of 8, renormalised, × a per-expert scale + a dense MLP beside the "
                            + "experts"),
            Map.entry("lfm2_moe_f32", "LFM2-MoE: sigmoid + selection bias, top-3 of 8, renormalised, × 1.5"),
            Map.entry("olmoe_f32", "OLMoE: softmax, top-4 of 16, not renormalised"),
            Map.entry("qwen3_moe_f32", "Qwen3-MoE: softmax, top-4 of 16, renormalised"),
            Map.entry(
                    "deepseek_v2_f32",
                    "DeepSeek-V2: softmax, best 2 of 4 groups, top-4 of 16 fine-grained experts, "
                            + "not renormalised, × 16 + 2 shared experts always on"),
            Map.entry("granitemoe_f32", "Granite MoE: softmax, top-2 of 8, renormalised"),
            Map.entry(
                    "qwen3_next_f32",
                    "Qwen3-Next: softmax, top-3 of 8, not renormalised + a shared expert behind a " + "sigmoid gate"));
    private static final String[] ALL = {
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
    };

    private record Run(MoeModel model, LayerCapture capture, RoutingDecision decision) {}

    private static Run capture(MoeModel m, int position) {
        int layer = m.shape().moeLayers()[m.shape().moeLayerCount() - 1];
        TraceRecorder trace = new TraceRecorder(false);
        LayerCapture c = new Generator(m).capture(IDS, Intervention.NONE, new CapturePoint(layer, position), trace);
        RoutingDecision d = trace.of(RoutingDecision.class).stream()
                .filter(r -> r.position() == position && r.layer() == layer)
                .findFirst()
                .orElseThrow();
        return new Run(m, c, d);
    }

    private static WalkStep step(List<WalkStep> steps, Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).findFirst().orElseThrow(() -> new AssertionError(kind));
    }

    @ParameterizedTest
    @MethodSource("families")
    void everyStepShowsTheEngineNumbers(String name) throws Exception {
        try (MoeModel m = MoeModel.open(TraceFixtures.fixtureModel(name))) {
            Run r = capture(m, 6);
            LayerCapture c = r.capture();
            RoutingDecision d = r.decision();
            List<WalkStep> steps = WalkSteps.of(new WalkInput(m.shape(), 6, "tok", d, c));
            assertEquals(
                    java.util.Objects.requireNonNull(VARIANT.get(name), name),
                    new WalkInput(m.shape(), 6, "tok", d, c).variant().summary());

            WalkStep hidden = step(steps, Kind.HIDDEN_IN);
            assertArrayEquals(c.residualIn(), hidden.strips().get(0).values());
            assertArrayEquals(c.hiddenIn(), hidden.strips().get(1).values());
            assertArrayEquals(
                    d.routerLogits(), step(steps, Kind.LOGITS).bars().get(0).values());
            assertArrayEquals(d.scores(), step(steps, Kind.SCORES).bars().get(0).values());
            WalkStep.Bars top = step(steps, Kind.TOP_K).bars().get(0);
            for (int e = 0; e < d.expertCount(); e++) {
                int expert = e;
                assertEquals(
                        java.util.Arrays.stream(d.experts()).anyMatch(x -> x == expert),
                        top.isChosen(e),
                        name + " E" + e + " marked as chosen");
            }
            boolean hasSelection = steps.stream().anyMatch(s -> s.kind() == Kind.SELECTION);
            assertEquals(c.selectionBias() != null || c.keptGroups() != null, hasSelection, name + " selection step");
            if (hasSelection) {
                List<WalkStep.Bars> sel = step(steps, Kind.SELECTION).bars();
                WalkStep.Bars ranked = sel.get(sel.size() - 1);
                if (c.selectionBias() != null) {
                    assertArrayEquals(c.selectionBias(), sel.get(0).values(), "the bias itself");
                    assertArrayEquals(d.selectionScores(), ranked.values(), "s + b as the engine ranked it");
                } else {
                    assertEquals(1, sel.size(), "no bias bar without a bias");
                    assertArrayEquals(d.scores(), ranked.values(), "groups rank the scores themselves");
                }
                if (d.keptGroups() != null) {
                    int per = c.expertCount() / c.rule().groups();
                    for (int e = 0; e < c.expertCount(); e++) {
                        int group = e / per;
                        boolean kept = java.util.Arrays.stream(d.keptGroups()).anyMatch(g -> g == group);
                        assertEquals(!kept, ranked.isMasked(e), "E" + e + " masked outside the kept groups");
                    }
                }
            }
            List<WalkStep.Bars> weights = step(steps, Kind.WEIGHTS).bars();
            assertArrayEquals(c.rawWeights(), weights.get(0).values(), "chosen scores");
            assertArrayEquals(d.weights(), weights.get(weights.size() - 1).values(), "the engine's gate weights");
            for (WalkStep.Bars b : weights) {
                if (b.label().startsWith("s_i / Σ")) {
                    assertArrayEquals(c.normalisedWeights(), b.values(), "normalised, before any scale");
                }
                if (b.label().startsWith("p (")) {
                    for (int i = 0; i < c.experts().length; i++) {
                        assertEquals(c.expertScale()[c.experts()[i]], b.values()[i], "per-expert scale of E_i");
                    }
                }
            }
            assertEquals(
                    c.expertScale() != null,
                    weights.stream().anyMatch(b -> b.label().startsWith("p (")),
                    name + " shows a per-expert scale exactly where the family has one");
            List<WalkStep.Strip> outs = step(steps, Kind.EXPERT_OUTPUTS).strips();
            float[][] ys = c.expertOutputs();
            for (int i = 0; i < ys.length; i++) {
                assertArrayEquals(ys[i], outs.get(2 * i).values(), "E_i(x)");
                float[] scaled = outs.get(2 * i + 1).values();
                for (int j = 0; j < scaled.length; j++) {
                    assertEquals(c.weights()[i] * ys[i][j], scaled[j], "g_i · E_i(x)");
                }
            }
            List<WalkStep.Strip> combine = step(steps, Kind.COMBINE).strips();
            assertArrayEquals(c.routedSum(), combine.get(0).values());
            assertEquals(d.routedNorm(), (float) combine.get(0).norm(), 1e-6f * Math.max(1, d.routedNorm()));
            assertArrayEquals(c.moeOut(), combine.get(combine.size() - 1).values());
            if (c.hasShared()) {
                assertArrayEquals(c.shared(), combine.get(combine.size() - 2).values(), "the always-on part");
            }
            List<WalkStep.Strip> res = step(steps, Kind.RESIDUAL).strips();
            assertArrayEquals(c.residualOut(), res.get(2).values());
            assertArrayEquals(c.moeOut(), res.get(1).values(), "y is what the layer adds");
            String residual = step(steps, Kind.RESIDUAL).formula();
            assertEquals(c.residualMultiplier() != 1f, residual.contains("m · y"), name + " residual multiplier named");
            assertEquals(c.outputScale() != 1f, residual.contains("λ"), name + " layer scalar named");
            assertTrue(steps.stream().noneMatch(WalkStep::needsWeights), "nothing missing with the model open");
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void aReplayedTraceShowsTheRoutingAndSaysWhatNeedsWeights(String name) throws Exception {
        try (MoeModel m = MoeModel.open(TraceFixtures.fixtureModel(name))) {
            Run r = capture(m, 3);
            WalkInput replay = new WalkInput(m.shape(), 3, "tok", r.decision(), null);
            assertEquals(
                    new WalkInput(m.shape(), 3, "tok", r.decision(), r.capture())
                            .variant()
                            .summary(),
                    replay.variant().summary(),
                    "the trace's numbers reveal the same routing rule");
            List<WalkStep> steps = WalkSteps.of(replay);
            for (Kind k : new Kind[] {Kind.HIDDEN_IN, Kind.EXPERT_OUTPUTS, Kind.COMBINE, Kind.RESIDUAL}) {
                assertTrue(step(steps, k).needsWeights(), k + " needs weights");
                assertTrue(step(steps, k).note().contains("Needs the model's weights"), k.toString());
            }
            for (Kind k : new Kind[] {Kind.LOGITS, Kind.SCORES, Kind.TOP_K, Kind.WEIGHTS}) {
                assertFalse(step(steps, k).needsWeights(), k + " comes from the trace");
            }
            assertArrayEquals(
                    r.decision().weights(),
                    step(steps, Kind.WEIGHTS)
                            .bars()
                            .get(step(steps, Kind.WEIGHTS).bars().size() - 1)
                            .values());
            float[] norms = step(steps, Kind.COMBINE).bars().get(0).values();
            assertEquals(r.decision().routedNorm(), norms[0]);
            if (m.shape().alwaysOn(r.decision().layer()).present()) {
                assertEquals(r.decision().sharedNorm(), norms[1]);
            }
        }
    }
}
