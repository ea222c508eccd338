package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ablation, forced experts, top-k override and shared-off change routing exactly as asked; NONE changes nothing. */
class InterventionTest {

    private static final int[] IDS = {73, 71, 6, 78, 103, 105, 122, 51, 52};

    /** Routing and per-position logits of a prefill. */
    private record Run(List<RoutingDecision> routing, float[][] logits) {
        List<RoutingDecision> layer(int l) {
            return routing.stream().filter(r -> r.layer() == l).toList();
        }
    }

    private static Run run(MoeModel model, Intervention iv) {
        TraceRecorder rec = new TraceRecorder(true);
        new Generator(model)
                .generate(
                        GenerationRequest.of(IDS, 0, SamplingParams.GREEDY).withIntervention(iv),
                        rec,
                        TokenListener.NONE);
        float[][] logits = rec.of(LogitsRecorded.class).stream()
                .map(LogitsRecorded::values)
                .toArray(float[][]::new);
        return new Run(rec.of(RoutingDecision.class), logits);
    }

    private static boolean sameLogits(Run a, Run b) {
        return Arrays.deepEquals(a.logits(), b.logits());
    }

    @Test
    void noneIsBitForBitTheBaseline() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("qwen2_moe_f32"))) {
            Run a = run(m, Intervention.NONE);
            Run b = run(m, new Intervention(Map.of(), Map.of(), 0, false));
            assertTrue(Intervention.NONE.isNone());
            assertTrue(sameLogits(a, b));
            for (int i = 0; i < a.routing().size(); i++) {
                assertArrayEquals(
                        a.routing().get(i).experts(), b.routing().get(i).experts());
                assertArrayEquals(
                        a.routing().get(i).weights(), b.routing().get(i).weights());
                assertEquals(a.routing().get(i).sharedNorm(), b.routing().get(i).sharedNorm());
            }
        }
    }

    @Test
    void ablatedExpertIsNeverChosenInThatLayer() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("olmoe_f32"))) {
            Run base = run(m, Intervention.NONE);
            int expert = base.layer(1).get(0).experts()[0]; // the favourite of position 0
            Run ablated = run(m, Intervention.NONE.withAblation(1, expert));
            for (RoutingDecision d : ablated.layer(1)) {
                assertFalse(Arrays.stream(d.experts()).anyMatch(e -> e == expert), "position " + d.position());
                assertEquals(4, d.experts().length, "still top-4");
            }
            for (int p = 0; p < IDS.length; p++) {
                assertArrayEquals(
                        base.layer(0).get(p).experts(), ablated.layer(0).get(p).experts(), "layer 0 untouched");
                assertArrayEquals(
                        base.layer(0).get(p).weights(), ablated.layer(0).get(p).weights());
            }
            assertFalse(sameLogits(base, ablated), "ablation changes the logits");
        }
    }

    @Test
    void forcedSetIsExactlyTheSetWithRouterWeights() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("olmoe_f32"))) {
            Run base = run(m, Intervention.NONE);
            Run forced = run(m, Intervention.NONE.withForced(2, 3, 5, 11));
            for (RoutingDecision d : forced.layer(2)) {
                int[] sorted = d.experts().clone();
                Arrays.sort(sorted);
                assertArrayEquals(new int[] {3, 5, 11}, sorted, "position " + d.position());
                for (int i = 0; i < 3; i++) {
                    // olmoe_f32 has norm_topk_prob false: the weight is the expert's softmax score
                    assertEquals(d.scores()[d.experts()[i]], d.weights()[i], 0f);
                    if (i > 0) {
                        assertTrue(d.scores()[d.experts()[i - 1]] >= d.scores()[d.experts()[i]], "score order");
                    }
                }
            }
            assertFalse(sameLogits(base, forced));
        }
    }

    @Test
    void topKOverrideChangesTheNumberOfExperts() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("qwen3_moe_f32"))) {
            Run base = run(m, Intervention.NONE);
            for (int k : new int[] {1, 2, 7}) {
                Run r = run(m, Intervention.NONE.withTopK(k));
                assertEquals(base.routing().size(), r.routing().size());
                for (RoutingDecision d : r.routing()) {
                    assertEquals(k, d.experts().length);
                    assertEquals(k, d.weights().length);
                }
                assertFalse(sameLogits(base, r), "top-" + k);
            }
            Run same = run(m, Intervention.NONE.withTopK(m.config().topK()));
            assertTrue(sameLogits(base, same), "overriding with the model's own k changes nothing");
        }
    }

    @Test
    void alwaysOnOffZeroesTheSharedPartOnDeepseekAndQwen2() throws Exception {
        for (String name : List.of("deepseek_f32", "qwen2_moe_f32")) {
            try (MoeModel m = MoeModel.open(Fixtures.dir(name))) {
                Run base = run(m, Intervention.NONE);
                Run off = run(m, Intervention.NONE.withAlwaysOnOff(true));
                assertTrue(base.routing().stream().allMatch(d -> d.sharedNorm() > 0), name + " baseline has shared");
                assertTrue(off.routing().stream().allMatch(d -> d.sharedNorm() == 0f), name + " shared off");
                if (m.config()
                        .isMoeLayer(0)) { // DeepSeek's dense layer 0 is switched off too, so layer 1 sees another x
                    assertEquals(
                            base.routing().get(0).routedNorm(),
                            off.routing().get(0).routedNorm(),
                            0f,
                            name + ": the first MoE layer's routed part does not depend on the shared expert");
                }
                assertFalse(sameLogits(base, off), name);
            }
        }
    }

    @Test
    void alwaysOnOffSwitchesOffADenseLayerAndNothingWhereNothingIsAlwaysOn() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_f32"))) { // layer 0 dense, then shared experts ×2
            Run base = run(m, Intervention.NONE);
            Run off = run(m, Intervention.NONE.withAlwaysOnOff(true));
            // layer 1 sees the residual stream after attention only: its router logits change
            assertFalse(
                    Arrays.equals(
                            base.layer(1).get(0).routerLogits(),
                            off.layer(1).get(0).routerLogits()),
                    "the dense FFN of layer 0 is part of what the switch turns off");
        }
        try (MoeModel m = MoeModel.open(Fixtures.dir("olmoe_f32"))) { // routed experts only, every layer MoE
            assertTrue(
                    sameLogits(run(m, Intervention.NONE), run(m, Intervention.NONE.withAlwaysOnOff(true))),
                    "a model without always-on parts is unchanged by the switch");
        }
    }
}
