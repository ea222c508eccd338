package io.moescope.model.io;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.runtime.MemoryEstimate;
import io.moescope.model.tokenizer.HfTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shard indexes that point outside the model, missing shards, bad tokenizers and a model over the memory budget. */
class ModelDirectoryValidationTest {

    private static final String INDEX = "model.safetensors.index.json";
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path tmp;

    private Path sharded(Consumer<ObjectNode> editWeightMap) throws Exception {
        Path dir = BrokenInputs.copy("olmoe_sharded_f32", tmp);
        Path index = dir.resolve(INDEX);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(index.toFile());
        editWeightMap.accept((ObjectNode) root.get("weight_map"));
        Files.writeString(index, root.toString());
        return dir;
    }

    @Test
    void shardOutsideTheModelDirectoryIsRefused() throws Exception {
        Path dir = sharded(m -> m.put("model.norm.weight", "../" + SHARD2));
        Files.copy(dir.resolve(SHARD2), tmp.resolve(SHARD2)); // exists, so only the location can be the problem
        loadError(dir, INDEX, "'model.norm.weight'", "'../" + SHARD2 + "'", "outside the model directory");
    }

    @Test
    void absoluteShardPathIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere")).resolve(SHARD2);
        Path dir = sharded(m -> m.put("model.norm.weight", elsewhere.toString()));
        Files.copy(dir.resolve(SHARD2), elsewhere);
        loadError(dir, INDEX, "'model.norm.weight'", "outside the model directory");
    }

    @Test
    void indexNamingAMissingShard() throws Exception {
        Path dir = sharded(m -> {});
        Files.delete(dir.resolve(SHARD2));
        loadError(dir, INDEX, "'" + SHARD2 + "'", "does not exist");
    }

    @Test
    void shardThatLacksTheTensor() throws Exception {
        String name = firstTensorOf(Fixtures.dir("olmoe_sharded_f32").resolve(SHARD2));
        Path dir = sharded(m -> m.put(name, SHARD1));
        loadError(dir, INDEX, "'" + name + "'", SHARD1, "does not contain it");
    }

    @Test
    void malformedIndex() throws Exception {
        Path dir = sharded(m -> {});
        Files.writeString(dir.resolve(INDEX), "{\"weight_map\": {");
        loadError(dir, INDEX, "malformed JSON");
    }

    @Test
    void indexWithoutWeightMap() throws Exception {
        Path dir = sharded(m -> {});
        Files.writeString(dir.resolve(INDEX), "{\"metadata\": {}}");
        loadError(dir, INDEX, "\"weight_map\"");
    }

    @Test
    void malformedTokenizerJson() {
        Path dir = BrokenInputs.copy("olmoe_f32", tmp);
        BrokenInputs.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": ");
        loadError(dir, "tokenizer.json", "malformed tokenizer JSON");
    }

    @Test
    void tokenizerJsonWithoutModel() {
        Path dir = BrokenInputs.copy("olmoe_f32", tmp);
        BrokenInputs.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        loadError(dir, "tokenizer.json", "no \"model\" section");
    }

    @Test
    void tokenizerJsonTheLibraryRejects() {
        Path dir = BrokenInputs.copy("olmoe_f32", tmp);
        BrokenInputs.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}");
        loadError(dir, "tokenizer.json", "rejected");
    }

    @Test
    void gzippedTokenizerThatIsNotGzip() throws Exception {
        Path file = tmp.resolve("tokenizer.json.gz");
        Files.writeString(file, "{\"model\": {}}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HfTokenizer.load(file));
        BrokenInputs.assertMessage(e.getMessage(), "tokenizer.json.gz", "cannot read");
    }

    @Test
    void truncatedGzippedTokenizer() throws Exception {
        Path file = tmp.resolve("tokenizer.json.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"model\": {\"type\": \"BPE\", \"vocab\": {".repeat(50).getBytes());
        }
        BrokenInputs.truncate(file, Files.size(file) / 2);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HfTokenizer.load(file));
        BrokenInputs.assertMessage(e.getMessage(), "tokenizer.json.gz");
    }

    @Test
    void modelLargerThanTheMemoryBudget() {
        Path dir = BrokenInputs.copy("olmoe_f32", tmp);
        long budget = 10_000_000; // the fixture needs ~0.07 GB (weights as FP32 + runtime)
        ModelLoadException e = loadError(
                dir,
                budget,
                dir.toString(),
                "needs about",
                MemoryEstimate.gb(budget) + " is allowed by the memory budget",
                "nothing was loaded");
        assertTrue(e.getMessage().matches(".*needs about \\d+\\.\\d+ [MG]B.*"), e.getMessage());
    }

    private static String firstTensorOf(Path shard) {
        var names = BrokenInputs.header(shard).fieldNames();
        String first = names.next();
        return first.equals("__metadata__") ? names.next() : first;
    }
}
