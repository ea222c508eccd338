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
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity (c): on the same GGUF file, our greedy continuation and routing equal llama.cpp's own.
 *
 * <p>Two recordings: a recent llama.cpp (node-llama-cpp) in gguf/models/llama_cpp_greedy.json (16 tokens, or fewer
 * where it stopped at an end-of-generation token), and llama.cpp c392e50's libllama in llama_cpp_routing.json
 * (tools/reference/make_gguf_llama_refs.py): 16 greedy tokens without an end-of-generation stop, and its
 * {@code ffn_moe_topk} expert ids at every position of prompt + continuation. llama.cpp quantises activations for
 * quantised weights, so expert sets need only agree on 98 % of (position, MoE layer); we run with int8 activations
 * too ({@code moescope.quant.activations=int8}, the default on 512-bit hardware).
 *
 * <p>olmoe.q8_0, whose 64-wide fixture was drawn for a 1e-4 top-k gap, agrees on 83 of 84 with int8 activations
 * (82 with FP32 ones, below 98 %). Recorded but not asserted (docs/gguf-fidelity numbers in
 * tools/reference/README.md): mixtral.q8_0, whose greedy continuation departs from llama.cpp's at token 11 with int8
 * activations (the rounding differs: ours rounds to nearest with ties up, one scale per 32), and deepseek_v2.f32,
 * whose greedy continuation departs from c392e50's at token 8.
 */
class GgufVsLlamaCppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"olmoe.f32.gguf", "mixtral.f32.gguf", "deepseek.f32.gguf"})
    void greedyContinuationEqualsLlamaCpp(String file) throws Exception {
        JsonNode rec =
                JSON.readTree(GgufRuns.MODELS.resolve("llama_cpp_greedy.json").toFile());
        int[] prompt = Fixtures.ints(rec.get("prompt"));
        assertArrayEquals(
                Fixtures.ints(rec.get("generated").get(file)),
                greedy(file, prompt, rec.get("generated").get(file).size()),
                file + " greedy continuation");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "olmoe.f32.gguf",
                "mixtral.f32.gguf",
                "deepseek.f32.gguf",
                "deepseek_v3.f32.gguf",
                "olmoe256.q4_k_m.gguf",
                "olmoe.q8_0.gguf"
            })
    void routingAndContinuationEqualLlamaCppsOwn(String file) throws Exception {
        GgufRuns.withQuantActivations("int8", () -> assertRoutingAndContinuation("llama_cpp_routing.json", file));
    }

    /**
     * The same against a recent llama.cpp (v0.4.0 of 2026-09: node-llama-cpp 3.21.1's prebuilt libllama, the
     * same tool built against that tree's headers), on the files of its own converter (qwen2moe, qwen3moe, glm4moe, lfm2moe, gpt-oss with MXFP4 experts, DeepSeek-V3 with the
     * split attn_k_b/attn_v_b MLA and routing groups) and on
     * c392e50's. Recorded, not asserted: deepseek_v2.f32 departs at greedy token 8 as with c392e50,
     * deepseek2_256.q4_k_m agrees on 41 of 42 expert sets (Q8 activations), and this llama.cpp refuses c392e50's
     * deepseek_v2_lite.f32 ("key not found in model: deepseek2.attention.q_lora_rank").
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "qwen2_moe.bf16.gguf",
                "qwen3_moe.bf16.gguf",
                "glm4_moe.f32.gguf",
                "lfm2_moe.f32.gguf",
                "gpt_oss.mxfp4.gguf",
                "deepseek_v3_split.f32.gguf",
                "qwen3_next.f32.gguf",
                "qwen3_5_moe.f32.gguf",
                "qwen3_5_moe.q8_0.gguf",
                "olmoe.f32.gguf",
                "mixtral.f32.gguf",
                "deepseek.f32.gguf",
                "deepseek_v3.f32.gguf",
                "olmoe256.q4_k_m.gguf"
            })
    void routingAndContinuationEqualRecentLlamaCpp(String file) throws Exception {
        GgufRuns.withQuantActivations(
                "int8", () -> assertRoutingAndContinuation("llama_cpp_routing_recent.json", file));
    }

    /**
     * llama.cpp v0.4.0's logits at every prompt position (recorded for the Gated DeltaNet hybrids) against ours on
     * the same file, relative to the largest logit. llama.cpp itself is not float32-exact: on the same 5-token
     * prompt its logits differ from transformers' by up to 2.4e-4 on these F32 files and by 4e-4 to 9.4e-4 on
     * olmoe.f32 and glm4_moe.f32 (measured, tools/reference/README.md), while ours equal transformers' to 6e-7; so
     * 5e-4 for F32. Q8_0: llama.cpp quantises the activations to Q8_0 and we to int8 with other rounding: 1.9e-2
     * measured, 3e-2 asserted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"qwen3_next.f32.gguf, 5e-4", "qwen3_5_moe.f32.gguf, 5e-4", "qwen3_5_moe.q8_0.gguf, 3e-2"})
    void promptLogitsEqualRecentLlamaCpps(String file, double tolerance) throws Exception {
        JsonNode rec = JSON.readTree(
                GgufRuns.MODELS.resolve("llama_cpp_routing_recent.json").toFile());
        int[] prompt = Fixtures.ints(rec.get("prompt"));
        JsonNode logits = rec.get("files").get(file).get("logits");
        float[][] theirs = new float[prompt.length][];
        for (int t = 0; t < prompt.length; t++) {
            theirs[t] = Fixtures.floats(logits.get(t));
        }
        GgufRuns.withQuantActivations("int8", () -> {
            try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(file))) {
                double rel = GgufRuns.maxRelative(GgufRuns.of(model, prompt).logits(), theirs);
                System.out.printf("%s vs llama.cpp v0.4.0: prompt logits max rel %.3g%n", file, rel);
                assertTrue(rel <= tolerance, file + ": logits max relative error " + rel);
            }
        });
    }

    private static void assertRoutingAndContinuation(String recording, String file) throws Exception {
        JsonNode rec = JSON.readTree(GgufRuns.MODELS.resolve(recording).toFile());
        int[] prompt = Fixtures.ints(rec.get("prompt"));
        JsonNode run = rec.get("files").get(file);
        assertTrue(
                run != null,
                file + " is not in " + recording + ": "
                        + rec.get("not_loaded").path(file).asText());
        int[] want = Fixtures.ints(run.get("generated"));
        assertArrayEquals(want, greedy(file, prompt, want.length), file + " greedy continuation");

        int[] seq = IntStream.concat(Arrays.stream(prompt), Arrays.stream(want)).toArray();
        GgufRuns ours;
        try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(file))) {
            ours = GgufRuns.of(model, seq);
        }
        int same = 0;
        int all = 0;
        for (var it = run.get("experts").fields(); it.hasNext(); ) {
            var layer = it.next();
            int l = Integer.parseInt(layer.getKey());
            assertTrue(layer.getValue().size() == seq.length, file + " layer " + l + ": one row per position");
            for (int t = 0; t < seq.length; t++) {
                int[] theirs = Fixtures.ints(layer.getValue().get(t));
                Arrays.sort(theirs);
                all++;
                same += Arrays.equals(theirs, ours.experts()[t][l]) ? 1 : 0;
            }
        }
        System.out.printf(
                "%s vs %s: expert sets %d/%d, greedy %d tokens equal%n", file, recording, same, all, want.length);
        assertTrue(all > 0, file + ": no routing recorded");
        assertTrue(same >= 0.98 * all, file + ": expert sets agree on " + same + " of " + all);
    }

    private static int[] greedy(String file, int[] prompt, int tokens) throws Exception {
        try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(file))) {
            GenerationRequest req =
                    new GenerationRequest(prompt, tokens, SamplingParams.GREEDY, Intervention.NONE, false, false);
            return new Generator(model)
                    .generate(req, TraceSink.DISABLED, TokenListener.NONE)
                    .generatedIds();
        }
    }
}
