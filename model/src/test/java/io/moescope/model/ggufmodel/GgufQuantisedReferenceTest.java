package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.TraceSink;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity (b): a quantised GGUF file against transformers on the weights dequantised from it, with logits within
 * 1e-4 relative with FP32 activations ({@code moescope.quant.activations=fp32} while the test runs; the default int8
 * activations of decode products, as llama.cpp's, measured 0.004–0.012 here) and the same expert sets on at least 99 % of (token, layer).
 * The files: llama.cpp's converter with --outtype q8_0 (Q8_0, F16 where rows are not whole blocks, F32 vectors and
 * routers; tools/reference/make_gguf_quant_refs.py; mixtral's q/k rows are stored permuted, in Q8_0 blocks), and
 * 256-wide olmoe and deepseek2 checkpoints quantised by llama-quantize to Q4_K_M (Q4_K, Q5_K, Q6_K, Q8_0 and
 * Q5_0/Q5_1 fallbacks in one file), whose reference weights gguf-py dequantised from the file itself
 * (make_gguf_kquants.py); for these the reference's 16-token greedy continuation must be ours too.
 */
class GgufQuantisedReferenceTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"olmoe.q8_0", "mixtral.q8_0", "olmoe256.q4_k_m", "deepseek2_256.q4_k_m"})
    void quantisedFileMatchesTheDequantisedReference(String name) throws Exception {
        GgufRuns.withQuantActivations("fp32", () -> compare(name));
    }

    private static void compare(String name) throws Exception {
        JsonNode exp = new ObjectMapper()
                .readTree(GgufRuns.MODELS.resolve(name + ".json").toFile());
        int[] ids = Fixtures.ints(exp.get("ids"));
        try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(name + ".gguf"))) {
            GgufRuns got = GgufRuns.of(model, ids);
            float[][] want = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                want[t] = Fixtures.floats(exp.get("logits").get(t));
            }
            double rel = GgufRuns.maxRelative(got.logits(), want);
            int same = 0;
            int all = 0;
            for (var it = exp.get("experts").fields(); it.hasNext(); ) {
                var layer = it.next();
                int l = Integer.parseInt(layer.getKey());
                for (int t = 0; t < ids.length; t++) {
                    all++;
                    same += Arrays.equals(Fixtures.ints(layer.getValue().get(t)), got.experts()[t][l]) ? 1 : 0;
                }
            }
            System.out.printf(
                    "%s.gguf vs transformers on dequantised weights: logits max rel %.3g, experts %d/%d%n",
                    name, rel, same, all);
            assertTrue(rel <= 1e-4, name + ": logits max relative error " + rel);
            assertTrue(same >= 0.99 * all, name + ": expert sets agree on " + same + " of " + all);
        }
        if (exp.has("greedy")) { // the K-quant fixture also records the reference's 16-token continuation
            int[] prompt = Fixtures.ints(exp.get("greedy").get("prompt"));
            int[] want = Fixtures.ints(exp.get("greedy").get("generated"));
            try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(name + ".gguf"))) {
                GenerationRequest req = new GenerationRequest(
                        prompt, want.length, SamplingParams.GREEDY, Intervention.NONE, false, false);
                assertArrayEquals(
                        want,
                        new Generator(model)
                                .generate(req, TraceSink.DISABLED, TokenListener.NONE)
                                .generatedIds(),
                        name + ": greedy continuation");
            }
        }
    }
}
