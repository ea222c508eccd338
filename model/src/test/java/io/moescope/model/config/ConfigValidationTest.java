package io.moescope.model.config;

import static io.moescope.model.BrokenInputs.loadError;

import io.moescope.model.BrokenInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad config.json gives one ModelLoadException naming config.json and the offending key. */
class ConfigValidationTest {

    private static final String FILE = "config.json";

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void copyFixture() {
        dir = BrokenInputs.copy("qwen3_moe_f32", tmp);
    }

    @Test
    void missingConfig() throws Exception {
        Files.delete(dir.resolve(FILE));
        loadError(dir, dir.toString(), "no config.json");
    }

    @Test
    void missingModelDirectory() {
        loadError(tmp.resolve("nope"), "nope", "model directory not found");
    }

    @Test
    void malformedJson() {
        BrokenInputs.writeString(dir.resolve(FILE), "{\"model_type\": \"qwen3_moe\", \"hidden_size\": 64,");
        loadError(dir, FILE, "malformed JSON");
    }

    @Test
    void emptyFile() {
        BrokenInputs.writeString(dir.resolve(FILE), "");
        loadError(dir, FILE, "not a JSON object");
    }

    @Test
    void notAnObject() {
        BrokenInputs.writeString(dir.resolve(FILE), "[\"qwen3_moe\"]");
        loadError(dir, FILE, "not a JSON object");
    }

    @Test
    void unsupportedModelTypeListsTheSupportedOnes() {
        BrokenInputs.editConfig(dir, c -> c.put("model_type", "llama"));
        loadError(
                dir, FILE, "unsupported model_type 'llama'", "mixtral", "qwen2_moe", "qwen3_moe", "olmoe", "deepseek");
    }

    @Test
    void missingRequiredKey() {
        BrokenInputs.editConfig(dir, c -> c.remove("num_hidden_layers"));
        loadError(dir, FILE, "missing required key \"num_hidden_layers\"");
    }

    @Test
    void negativeRequiredValue() {
        BrokenInputs.editConfig(dir, c -> c.put("vocab_size", -128));
        loadError(dir, FILE, "\"vocab_size\" must be a positive integer", "-128");
    }

    @Test
    void nonNumericValue() {
        BrokenInputs.editConfig(dir, c -> c.put("hidden_size", "sixty-four"));
        loadError(dir, FILE, "\"hidden_size\" must be a positive integer");
    }

    @Test
    void negativeContextLength() {
        BrokenInputs.editConfig(dir, c -> c.put("max_position_embeddings", -1));
        loadError(dir, FILE, "\"max_position_embeddings\"", "positive");
    }

    @Test
    void zeroKeyValueHeads() {
        BrokenInputs.editConfig(dir, c -> c.put("num_key_value_heads", 0));
        loadError(dir, FILE, "\"num_key_value_heads\"", "positive");
    }

    @Test
    void headsNotDivisibleByKeyValueHeads() {
        BrokenInputs.editConfig(dir, c -> c.put("num_key_value_heads", 3));
        loadError(dir, FILE, "num_attention_heads 4 is not a multiple of num_key_value_heads 3");
    }

    @Test
    void hiddenSizeNotDivisibleByHeads() {
        Path mixtral = BrokenInputs.copy("mixtral_f32", tmp);
        BrokenInputs.editConfig(mixtral, c -> c.put("num_attention_heads", 6).put("num_key_value_heads", 2));
        loadError(mixtral, FILE, "hidden_size 64 is not divisible by num_attention_heads 6");
    }

    @Test
    void fp8BlockSizeMustBeTwoPositiveIntegers() {
        for (String bad : new String[] {"[0, 128]", "[128]", "[128, 128, 1]", "[1.5, 2]", "\"128x128\"", "[-64, 64]"}) {
            BrokenInputs.editConfig(dir, c -> {
                try {
                    c.putObject("quantization_config")
                            .put("quant_method", "fp8")
                            .set("weight_block_size", new com.fasterxml.jackson.databind.ObjectMapper().readTree(bad));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            loadError(dir, FILE, "quantization_config.weight_block_size must be two positive integers [rows, cols]");
        }
    }

    @Test
    void moreExpertsPerTokenThanExperts() {
        BrokenInputs.editConfig(dir, c -> c.put("num_experts_per_tok", 17));
        loadError(dir, FILE, "num_experts_per_tok 17 exceeds the 16 routed experts");
    }
}
