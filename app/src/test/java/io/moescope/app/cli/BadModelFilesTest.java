package io.moescope.app.cli;

import static io.moescope.app.cli.BadFiles.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad-input catalogue, model directories and tokenizers (cases M1..M18 of docs/reliability.md). */
class BadModelFilesTest {

    @TempDir
    Path tmp;

    private static CliRun trace(Path model, String... more) {
        java.util.List<String> args =
                new java.util.ArrayList<>(java.util.List.of("trace", "--model", model.toString()));
        args.addAll(more.length == 0 ? java.util.List.of("--ids", "1,2") : java.util.List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String withoutTimes(String trace) {
        return trace.replaceAll(",\"t_ns\":\\d+", "");
    }

    @Test
    void m01EmptyConfig() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.empty(dir.resolve("config.json"));
        assertOneErrorLine(trace(dir), "config.json");
    }

    @Test
    void m02BinaryConfig() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.random(dir.resolve("config.json"));
        assertOneErrorLine(trace(dir), "config.json");
    }

    /** JSON parsers detect UTF-16 by its byte-order mark (RFC 8259 allows it to): the model opens as usual. */
    @Test
    void m03Utf16ConfigIsRead() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.utf16(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")));
        CliRun utf16 = trace(dir);
        assertEquals(0, utf16.exitCode(), utf16.err());
        assertEquals(withoutTimes(trace(CliRun.fixture("olmoe_f32")).out()), withoutTimes(utf16.out()));
    }

    @Test
    void m04ConfigIsADirectory() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.directoryInsteadOf(dir.resolve("config.json"));
        assertOneErrorLine(trace(dir), "config.json");
    }

    @Test
    void m05EmptyWeights() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.empty(dir.resolve("model.safetensors"));
        assertOneErrorLine(trace(dir), "model.safetensors");
    }

    @Test
    void m06RandomWeights() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.random(dir.resolve("model.safetensors"));
        assertOneErrorLine(trace(dir), "model.safetensors");
    }

    @Test
    void m07WeightsAreADirectory() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.directoryInsteadOf(dir.resolve("model.safetensors"));
        assertOneErrorLine(trace(dir), "model.safetensors");
    }

    @Test
    void m08ModelIsAFile() {
        Path file = CliRun.fixture("olmoe_f32").resolve("config.json");
        assertOneErrorLine(trace(file), "config.json");
    }

    @Test
    void m09GgufOfRandomBytes() throws Exception {
        Path gguf = BadFiles.random(tmp.resolve("x.gguf"));
        assertOneErrorLine(trace(gguf), "x.gguf");
    }

    @Test
    void m10EmptyTokenizerInTheModel() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.empty(dir.resolve("tokenizer.json"));
        assertOneErrorLine(trace(dir, "--prompt", "hi"), "tokenizer.json");
    }

    @Test
    void m11BinaryTokenizerInTheModel() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.random(dir.resolve("tokenizer.json"));
        assertOneErrorLine(trace(dir, "--prompt", "hi"), "tokenizer.json");
    }

    @Test
    void m12TokenizerIsADirectory() throws Exception {
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        BadFiles.directoryInsteadOf(dir.resolve("tokenizer.json"));
        assertOneErrorLine(trace(dir, "--prompt", "hi"), "tokenizer.json");
    }

    @Test
    void m13BinaryTokenizerFile() throws Exception {
        Path tok = BadFiles.random(tmp.resolve("tok.json"));
        assertOneErrorLine(CliRun.of("tokenize", "--tokenizer", tok.toString(), "--text", "x"), "tok.json");
    }

    @Test
    void m14EmptyTokenizerFile() throws Exception {
        Path tok = BadFiles.empty(tmp.resolve("tok.json"));
        assertOneErrorLine(CliRun.of("tokenize", "--tokenizer", tok.toString(), "--text", "x"), "tok.json");
    }

    @Test
    void m15Utf16TokenizerFile() throws Exception {
        Path tok = BadFiles.utf16(tmp.resolve("tok.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        assertOneErrorLine(CliRun.of("tokenize", "--tokenizer", tok.toString(), "--text", "x"), "tok.json");
    }

    @Test
    void m16TokenizerDirectoryWithoutTokenizer() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tokdir"));
        assertOneErrorLine(CliRun.of("tokenize", "--tokenizer", dir.toString(), "--text", "x"), "tokdir");
    }

    @Test
    void m17UnreadableConfig() throws Exception {
        assumeFalse(BadFiles.runningAsRoot(), "root reads a chmod-000 file: m04 covers an unreadable config for root");
        Path dir = BadFiles.copyModel(tmp, "olmoe_f32");
        Files.setPosixFilePermissions(dir.resolve("config.json"), PosixFilePermissions.fromString("---------"));
        assertOneErrorLine(trace(dir), "config.json");
    }

    @Test
    void m18PromptLongerThanTheContext() {
        String ids = IntStream.range(0, 300).mapToObj(i -> "1").collect(Collectors.joining(","));
        assertOneErrorLine(trace(CliRun.fixture("olmoe_f32"), "--ids", ids), "300", "256");
    }

    @Test
    void m19GeneratePromptLongerThanTheContext() {
        String ids = IntStream.range(0, 300).mapToObj(i -> "1").collect(Collectors.joining(","));
        assertOneErrorLine(
                CliRun.of(
                        "generate",
                        "--model",
                        CliRun.fixture("olmoe_f32").toString(),
                        "--ids",
                        ids,
                        "--max-tokens",
                        "2"),
                "300",
                "256");
    }
}
