package io.moescope.model.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * Fuzzes config.json ({@link ConfigParser#read}) in a model directory that holds nothing else (the parser reads no
 * weights): any bytes parse to a config whose MoE layers exist, or are refused with a one-line ModelLoadException.
 */
class ConfigJsonFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "\"model_type\"",
        "\"deepseek\"",
        "\"deepseek_v2\"",
        "\"deepseek_v3\"",
        "\"mixtral\"",
        "\"qwen2_moe\"",
        "\"qwen3_moe\"",
        "\"olmoe\"",
        "\"num_hidden_layers\"",
        "\"mlp_only_layers\"",
        "\"decoder_sparse_step\"",
        "\"first_k_dense_replace\"",
        "\"moe_layer_freq\"",
        "\"topk_method\"",
        "\"noaux_tc\"",
        "\"group_limited_greedy\"",
        "\"n_group\"",
        "\"topk_group\"",
        "\"rope_scaling\"",
        "\"rope_parameters\"",
        "\"yarn\"",
        "\"quantization_config\"",
        "\"weight_block_size\"",
        "\"head_dim\"",
        "\"eos_token_id\"",
        "\"sliding_window\"",
        "\"use_sliding_window\"",
        "2147483647",
        "-1",
        "null"
    })
    void readRefusesCleanly(byte[] input) {
        Path file = dir.resolve("config.json");
        FuzzFiles.write(file, input);
        ModelConfig config;
        try {
            config = ConfigParser.read(dir);
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
            return;
        }
        for (int layer : config.moeLayers()) {
            assertTrue(layer >= 0 && layer < config.numLayers(), () -> "MoE layer " + layer + " outside the model");
        }
    }
}
