package io.moescope.model.io;

import static io.moescope.model.BrokenInputs.loadError;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.BrokenInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt model.safetensors gives one ModelLoadException naming the file and the problem. */
class SafetensorsValidationTest {

    private static final String FILE = "model.safetensors";

    @TempDir
    Path tmp;

    private Path dir;
    private Path file;

    @BeforeEach
    void copyFixture() {
        dir = BrokenInputs.copy("olmoe_f32", tmp);
        file = dir.resolve(FILE);
    }

    @Test
    void missingWeights() throws Exception {
        Files.delete(file);
        loadError(dir, dir.toString(), "no model.safetensors");
    }

    @Test
    void shorterThanTheLengthField() {
        BrokenInputs.truncate(file, 5);
        loadError(dir, FILE, "truncated", "5 bytes");
    }

    @Test
    void cutInTheHeader() {
        BrokenInputs.truncate(file, 8 + BrokenInputs.headerLength(file) / 2);
        loadError(dir, FILE, "truncated", "header claims");
    }

    @Test
    void cutInTheData() throws Exception {
        BrokenInputs.truncate(file, Files.size(file) - 1000);
        loadError(dir, FILE, "past the end of the data", "truncated");
    }

    @Test
    void oversizedHeaderLength() {
        BrokenInputs.setHeaderLength(file, 1L << 40);
        loadError(dir, FILE, "not a safetensors file", "header length 1099511627776");
    }

    @Test
    void negativeHeaderLength() {
        BrokenInputs.setHeaderLength(file, -8);
        loadError(dir, FILE, "not a safetensors file", "header length -8");
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        BrokenInputs.setHeaderLength(file, Files.size(file));
        loadError(dir, FILE, "truncated", "header claims " + Files.size(file));
    }

    @Test
    void malformedHeaderJson() {
        BrokenInputs.replaceHeader(file, "{\"lm_head.weight\": {\"dtype\": \"F32\", ");
        loadError(dir, FILE, "malformed safetensors header JSON");
    }

    @Test
    void headerThatIsNotAnObject() {
        BrokenInputs.replaceHeader(file, "[1, 2, 3]");
        loadError(dir, FILE, "not a JSON object");
    }

    @Test
    void dataOffsetsOutOfRange() {
        BrokenInputs.editHeader(file, h -> offsets(h, "lm_head.weight", 730_000, 762_768));
        loadError(dir, FILE, "'lm_head.weight'", "past the end of the data");
    }

    @Test
    void negativeDataOffsets() {
        BrokenInputs.editHeader(file, h -> offsets(h, "lm_head.weight", -4, 32764));
        loadError(dir, FILE, "'lm_head.weight'", "invalid data_offsets");
    }

    @Test
    void overlappingTensors() {
        BrokenInputs.editHeader(file, h -> offsets(h, "model.embed_tokens.weight", 16384, 49152));
        loadError(dir, FILE, "'lm_head.weight' and 'model.embed_tokens.weight' overlap");
    }

    @Test
    void byteLengthDisagreesWithShapeAndDtype() {
        BrokenInputs.editHeader(
                file,
                h -> ((ObjectNode) h.get("lm_head.weight"))
                        .putArray("shape")
                        .add(128)
                        .add(32));
        loadError(dir, FILE, "'lm_head.weight'", "holds 32768 bytes", "needs 16384");
    }

    @Test
    void shapeWhoseElementCountOverflows() {
        BrokenInputs.editHeader(
                file,
                h -> ((ObjectNode) h.get("lm_head.weight"))
                        .putArray("shape")
                        .add(1L << 32)
                        .add(1L << 32)
                        .add(1L << 32));
        loadError(dir, FILE, "'lm_head.weight'", "shape");
    }

    @Test
    void unknownDtype() {
        BrokenInputs.editHeader(file, h -> ((ObjectNode) h.get("lm_head.weight")).put("dtype", "F4"));
        loadError(dir, FILE, "'lm_head.weight'", "unknown dtype 'F4'");
    }

    @Test
    void integerTensorWhereAWeightIsExpected() {
        BrokenInputs.editHeader(file, h -> ((ObjectNode) h.get("model.norm.weight")).put("dtype", "I32"));
        loadError(dir, FILE, "'model.norm.weight'", "I32", "expected a float type");
    }

    @Test
    void tensorEntryWithoutOffsets() {
        BrokenInputs.editHeader(file, h -> ((ObjectNode) h.get("lm_head.weight")).remove("data_offsets"));
        loadError(dir, FILE, "'lm_head.weight'", "data_offsets");
    }

    @Test
    void missingTensorIsNamed() {
        String name = "model.layers.2.mlp.gate.weight";
        BrokenInputs.editHeader(file, h -> h.set(name + "_renamed", h.remove(name)));
        loadError(dir, dir.toString(), "missing tensor '" + name + "'");
    }

    @Test
    void tensorShapeDisagreesWithConfig() {
        // hidden 64 → 48 (still 4 heads of 12): every weight is now the wrong shape; the first one read is named
        BrokenInputs.editConfig(dir, c -> c.put("hidden_size", 48));
        loadError(dir, FILE, "'model.embed_tokens.weight'", "[128, 64]", "config.json implies [128, 48]");
    }

    private static void offsets(ObjectNode header, String tensor, long begin, long end) {
        ((ObjectNode) header.get(tensor)).putArray("data_offsets").add(begin).add(end);
    }
}
