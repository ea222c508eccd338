package io.moescope.model.runtime;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gpt_oss beyond what ReferenceAgreementTest checks for every fixture (logits, routing, weights, greedy tokens on the
 * 20-token prompt): the logits of the first 12 cached decode steps, the per-layer windows, and bad input.
 */
class GptOssTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt_oss_f32", "gpt_oss_bf16", "gpt_oss_mxfp4"})
    void cachedDecodeStepsMatchTransformers(String name) throws Exception {
        CachedDecode.assertMatchesTransformers(name);
    }

    @Test
    void layerTypesGiveEachLayerItsWindow() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("gpt_oss_f32"))) {
            assertArrayEquals(new int[] {6, 0, 6, 0}, model.config().layerWindows());
            assertTrue(model.config().qkvBias() && model.config().outputBias());
            assertEquals(0, model.config().sharedExperts());
        }
    }

    @Test
    void missingExpertCountNamesTheKey() {
        Path dir = BrokenInputs.copy("gpt_oss_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("num_local_experts"));
        loadError(dir, "config.json", "missing required key \"num_local_experts\"");
    }

    @Test
    void slidingLayersNeedAWindow() {
        Path dir = BrokenInputs.copy("gpt_oss_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("sliding_window"));
        loadError(dir, "config.json", "missing required key \"sliding_window\"");
    }

    @Test
    void layerTypesOfTheWrongLength() {
        Path dir = BrokenInputs.copy("gpt_oss_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).remove(3));
        loadError(dir, "config.json", "\"layer_types\" has 3 entries but num_hidden_layers is 4");
    }

    @Test
    void unknownLayerType() {
        Path dir = BrokenInputs.copy("gpt_oss_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).set(1, "chunked_attention"));
        loadError(dir, "config.json", "\"layer_types\"[1] is 'chunked_attention'");
    }

    @Test
    void mxfp4ScalesOfTheWrongShape() {
        Path dir = BrokenInputs.copy("gpt_oss_mxfp4", tmp);
        String name = "model.layers.0.mlp.experts.gate_up_proj_scales";
        BrokenInputs.editHeader(dir.resolve("model.safetensors"), h -> {
            ArrayNode shape = ((ObjectNode) h.get(name)).putArray("shape");
            shape.add(8).add(128).add(1); // same byte count as [8, 64, 2], so the header itself stays valid
        });
        loadError(dir, "model.safetensors", name, "[8, 128, 1]", "[8, 64, 2]");
    }

    @Test
    void mxfp4BlocksOfAFloatTypeAreRefused() {
        Path dir = BrokenInputs.copy("gpt_oss_mxfp4", tmp);
        String name = "model.layers.2.mlp.experts.down_proj_blocks";
        BrokenInputs.editHeader(dir.resolve("model.safetensors"), h -> {
            ObjectNode t = (ObjectNode) h.get(name);
            t.put("dtype", "BF16");
            t.putArray("shape").add(8).add(64).add(8); // 4096 elements of 2 bytes = the original 8192 bytes
        });
        loadError(dir, "model.safetensors", name, "is BF16", "U8");
    }
}
