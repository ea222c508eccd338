package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.Fixtures;
import io.moescope.model.runtime.MoeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity (a): an F32 GGUF file written by llama.cpp's own converter (tools/reference/make_gguf_models.py) runs
 * like the safetensors checkpoint it came from: same family, logits within 1e-4 relative, the same experts.
 * DeepSeek-V2/V3 files from this converter generation do not store n_group/topk_group, and llama.cpp then routes
 * with plain top-k: the file is followed, so those checkpoints are compared with group limits switched off.
 */
class GgufVsSafetensorsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"olmoe", "mixtral", "deepseek", "deepseek_v2", "deepseek_v2_lite", "deepseek_v3"})
    void f32FileRunsLikeItsCheckpoint(String name) throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected(name + "_f32").get("ids"));
        try (MoeModel gguf = MoeModel.open(GgufRuns.MODELS.resolve(name + ".f32.gguf"));
             MoeModel hf = MoeModel.open(withoutGroups(Fixtures.dir(name + "_f32")))) {
            assertEquals(hf.config().family(), gguf.config().family());
            GgufRuns want = GgufRuns.of(hf, ids);
            GgufRuns got = GgufRuns.of(gguf, ids);
            double rel = GgufRuns.maxRelative(got.logits(), want.logits());
            System.out.printf("%s.f32.gguf vs safetensors: logits max rel %.3g, experts %.1f %%%n", name, rel,
                    100 * got.expertAgreement(want));
            assertTrue(rel <= 1e-4, name + ": logits max relative error " + rel);
            assertEquals(1.0, got.expertAgreement(want), name + ": expert sets");
        }
    }

    /** The checkpoint with n_group = topk_group = 1 (config.json edited in a copy; weights linked). */
    private Path withoutGroups(Path dir) throws Exception {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        if (c.path("n_group").asInt(1) <= 1) {
            return dir;
        }
        c.put("n_group", 1).put("topk_group", 1);
        if (c.path("topk_method").asText().equals("group_limited_greedy")) {
            c.put("topk_method", "greedy");
        }
        Files.writeString(tmp.resolve("config.json"), c.toString());
        Files.createSymbolicLink(tmp.resolve("model.safetensors"), dir.toAbsolutePath().resolve("model.safetensors"));
        return tmp;
    }
}
