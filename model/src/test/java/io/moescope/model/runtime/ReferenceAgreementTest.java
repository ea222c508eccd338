package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.Fixtures;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family against its independent reference (transformers, or the numpy DeepSeekMoE reference): logits
 * within 1e-4 relative, identical experts, gate weights within 1e-5, norms and the greedy continuation.
 */
class ReferenceAgreementTest {

    static Stream<String> fixtures() {
        return Fixtures.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void logitsAndRoutingMatchTheReference(String name) throws Exception {
        JsonNode exp = Fixtures.expected(name);
        try (MoeModel model = MoeModel.open(Fixtures.dir(name))) {
            assertEquals(exp.get("model_type").asText(), model.config().family().modelType());
            assertArrayEquals(
                    Fixtures.ints(exp.get("moe_layers")), model.config().moeLayers());
            int[] ids = Fixtures.ints(exp.get("ids"));
            TraceRecorder rec = new TraceRecorder(true);
            new Generator(model).generate(GenerationRequest.of(ids, 0, SamplingParams.GREEDY), rec, TokenListener.NONE);

            List<LogitsRecorded> logits = rec.of(LogitsRecorded.class);
            assertEquals(ids.length, logits.size());
            double maxRel = 0;
            for (int t = 0; t < ids.length; t++) {
                float[] want = Fixtures.floats(exp.get("logits").get(t));
                maxRel = Math.max(maxRel, Fixtures.relativeError(logits.get(t).values(), want));
            }
            assertTrue(maxRel <= 1e-4, name + ": logits max relative error " + maxRel);
            System.out.printf("%s: logits max relative error %.3g%n", name, maxRel);

            List<RoutingDecision> routing = rec.of(RoutingDecision.class);
            for (JsonNode layer : exp.get("routing")) {
                int l = layer.get("layer").asInt();
                for (int t = 0; t < ids.length; t++) {
                    int pos = t;
                    RoutingDecision d = routing.stream()
                            .filter(r -> r.layer() == l && r.position() == pos)
                            .findFirst()
                            .orElseThrow();
                    String where = name + " layer " + l + " position " + t;
                    assertArrayEquals(Fixtures.ints(layer.get("experts").get(t)), d.experts(), where + " experts");
                    float[] wantW = Fixtures.floats(layer.get("weights").get(t));
                    float wTol = 1e-5f * Math.max(1f, wantW[0]); // relative where weights are scaled (V2: ×16)
                    assertArrayEquals(wantW, d.weights(), wTol, where + " weights");
                    assertArrayEquals(
                            Fixtures.floats(layer.get("scores").get(t)), d.scores(), 1e-5f, where + " scores");
                    assertArrayEquals(
                            Fixtures.floats(layer.get("router_logits").get(t)),
                            d.routerLogits(),
                            1e-4f * 10,
                            where + " router logits");
                    float routedNorm = (float) layer.get("routed_norm").get(t).asDouble();
                    assertEquals(routedNorm, d.routedNorm(), 1e-4 * Math.max(1, routedNorm), where + " routed norm");
                    JsonNode shared = layer.get("shared_norm");
                    if (shared != null && !shared.isNull()) {
                        double s = shared.get(t).asDouble();
                        assertEquals(s, d.sharedNorm(), 1e-4 * Math.max(1, s), where + " shared norm");
                    } else {
                        assertEquals(0f, d.sharedNorm(), where + " shared norm");
                    }
                    JsonNode gate = layer.get("shared_gate");
                    if (gate != null && !gate.isNull()) {
                        assertEquals(gate.get(t).asDouble(), d.sharedGate(), 1e-5, where + " shared gate");
                    } else {
                        assertTrue(Float.isNaN(d.sharedGate()), where + " has no shared gate");
                    }
                    JsonNode sel = layer.get("selection_scores"); // noaux_tc: scores + bias, else absent/null
                    if (sel != null && !sel.isNull()) {
                        assertArrayEquals(
                                Fixtures.floats(sel.get(t)), d.selectionScores(), 1e-5f, where + " selection");
                    } else {
                        assertEquals(null, d.selectionScores(), where + " has no selection scores");
                    }
                    JsonNode kept = layer.get("kept_groups"); // group-limited routing, else absent/null
                    if (kept != null && !kept.isNull()) {
                        assertArrayEquals(Fixtures.ints(kept.get(t)), d.keptGroups(), where + " kept groups");
                    } else {
                        assertEquals(null, d.keptGroups(), where + " has no kept groups");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void greedyDecodingWithKvCacheMatchesTheReference(String name) throws Exception {
        JsonNode greedy = Fixtures.expected(name).get("greedy");
        try (MoeModel model = MoeModel.open(Fixtures.dir(name))) {
            int[] prompt = Fixtures.ints(greedy.get("prompt"));
            int[] want = Fixtures.ints(greedy.get("generated"));
            GenerationRequest req = new GenerationRequest(
                    prompt, want.length, SamplingParams.GREEDY, io.moescope.model.api.Intervention.NONE, false, false);
            GenerationResult r =
                    new Generator(model).generate(req, io.moescope.model.trace.TraceSink.DISABLED, TokenListener.NONE);
            assertArrayEquals(want, r.generatedIds(), name + " greedy continuation");
        }
    }
}
