package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.gguf.GgufFile;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.TraceSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity (a): a GGUF file written by llama.cpp's own converter (tools/reference/make_gguf_models.py) runs like
 * the safetensors checkpoint it came from: same family, logits within 1e-5 relative, the same experts (qwen3moe,
 * gpt-oss, glm4moe, lfm2moe and deepseek_v3_split, DeepSeek-V3 with kv_b_proj split into attn_k_b/attn_v_b and its routing
 * groups stored, from a recent converter, make_gguf_recent.py; the others from c392e50's). The files are F32, except
 * qwen3moe (BF16 from the BF16 fixture) and gpt-oss, whose MXFP4 experts the converter repacks into ggml's MXFP4
 * blocks: the same numbers, other bytes.
 * DeepSeek-V2/V3 files from c392e50's converter do not store n_group/topk_group, and llama.cpp then routes
 * with plain top-k: the file is followed, so those checkpoints are compared with group limits switched off.
 */
class GgufVsSafetensorsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "olmoe.f32, olmoe_f32",
        "mixtral.f32, mixtral_f32",
        "deepseek.f32, deepseek_f32",
        "deepseek_v2.f32, deepseek_v2_f32",
        "deepseek_v2_lite.f32, deepseek_v2_lite_f32",
        "deepseek_v3.f32, deepseek_v3_f32",
        "qwen3_moe.bf16, qwen3_moe_bf16",
        "gpt_oss.mxfp4, gpt_oss_mxfp4",
        "deepseek_v3_split.f32, deepseek_v3_f32",
        "glm4_moe.f32, glm4_moe_f32",
        "lfm2_moe.f32, lfm2_moe_f32",
        "qwen3_next.f32, qwen3_next_gguf_f32",
        "qwen3_5_moe.f32, qwen3_5_moe_gguf_f32"
    })
    void fileRunsLikeItsCheckpoint(String name, String fixture) throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected(fixture).get("ids"));
        Path file = GgufRuns.MODELS.resolve(name + ".gguf");
        boolean groups;
        boolean scale;
        try (GgufFile f = GgufFile.open(file)) {
            groups = f.metadata().keySet().stream().anyMatch(k -> k.endsWith(".expert_group_count"));
            scale = f.metadata().keySet().stream().anyMatch(k -> k.endsWith(".expert_weights_scale"));
        }
        try (MoeModel gguf = MoeModel.open(file);
                MoeModel hf = MoeModel.open(asLlamaCppRunsIt(Fixtures.dir(fixture), groups, scale))) {
            assertEquals(hf.config().family(), gguf.config().family());
            GgufRuns want = GgufRuns.of(hf, ids);
            GgufRuns got = GgufRuns.of(gguf, ids);
            double rel = GgufRuns.maxRelative(got.logits(), want.logits());
            System.out.printf(
                    "%s.gguf vs safetensors: logits max rel %.3g, experts %.1f %%%n",
                    name, rel, 100 * got.expertAgreement(want));
            assertTrue(rel <= 1e-5, name + ": logits max relative error " + rel);
            assertEquals(1.0, got.expertAgreement(want), name + ": expert sets");
        }
    }

    /**
     * Files converted from checkpoints that are not committed as safetensors (make_gguf_recent.py: qwen2moe with a
     * router in every layer, the only form llama.cpp's qwen2moe has): transformers' own logits and expert sets on
     * that checkpoint, recorded beside the file, and its greedy continuation.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2_moe.bf16"})
    void f32FileRunsLikeTransformersOnItsCheckpoint(String name) throws Exception {
        JsonNode exp = new ObjectMapper()
                .readTree(GgufRuns.MODELS.resolve(name + ".json").toFile());
        int[] ids = Fixtures.ints(exp.get("ids"));
        try (MoeModel gguf = MoeModel.open(GgufRuns.MODELS.resolve(name + ".gguf"))) {
            GgufRuns got = GgufRuns.of(gguf, ids);
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
            System.out.printf("%s.gguf vs transformers: logits max rel %.3g, experts %d/%d%n", name, rel, same, all);
            assertTrue(rel <= 1e-5, name + ": logits max relative error " + rel);
            assertEquals(all, same, name + ": expert sets");
            assertTrue(all == ids.length * gguf.config().numLayers(), name + ": a router in every layer");
            int[] prompt = Fixtures.ints(exp.get("greedy").get("prompt"));
            int[] continuation = Fixtures.ints(exp.get("greedy").get("generated"));
            GenerationRequest req = new GenerationRequest(
                    prompt, continuation.length, SamplingParams.GREEDY, Intervention.NONE, false, false);
            assertArrayEquals(
                    continuation,
                    new Generator(gguf)
                            .generate(req, TraceSink.DISABLED, TokenListener.NONE)
                            .generatedIds(),
                    name + ": greedy continuation");
        }
    }

    /**
     * The checkpoint as llama.cpp runs its GGUF file, where the file cannot say otherwise: n_group = topk_group = 1
     * (c392e50's converter stores no groups), routed_scaling_factor 1 (v0.4.0's lfm2moe stores no scale) and YaRN's correction range rounded to whole dimensions (ggml
     * always rounds; gpt-oss's config has truncate false). config.json is edited in a copy; the weights are linked.
     */
    private Path asLlamaCppRunsIt(Path dir, boolean fileHasGroups, boolean fileHasScale) throws Exception {
        ObjectNode c = (ObjectNode)
                new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        boolean edited = false;
        if (!fileHasScale
                && c.has("routed_scaling_factor")
                && c.get("routed_scaling_factor").asDouble() != 1.0) {
            c.put("routed_scaling_factor", 1.0); // lfm2moe: the converter writes none and llama.cpp then scales by 1
            edited = true;
        }
        if (!fileHasGroups && c.path("n_group").asInt(1) > 1) {
            c.put("n_group", 1).put("topk_group", 1);
            if (c.path("topk_method").asText().equals("group_limited_greedy")) {
                c.put("topk_method", "greedy");
            }
            edited = true;
        }
        if (c.path("rope_parameters").has("truncate")
                && !c.path("rope_parameters").path("truncate").asBoolean()) {
            ((ObjectNode) c.get("rope_parameters")).put("truncate", true);
            edited = true;
        }
        if (!edited) {
            return dir;
        }
        Files.writeString(tmp.resolve("config.json"), c.toString());
        Files.createSymbolicLink(
                tmp.resolve("model.safetensors"), dir.toAbsolutePath().resolve("model.safetensors"));
        return tmp;
    }
}
