package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on the command line: exit code 2, exactly one "error: ..." line on stderr, no stack trace. */
class CliErrorTest {

    @TempDir
    Path tmp;

    @Test
    void missingModelDirectory() {
        CliRun r = CliRun.of("trace", "--model", tmp.resolve("no-such-model").toString(), "--ids", "1,2");
        assertOneErrorLine(r, "no-such-model", "model directory not found");
    }

    @Test
    void truncatedCheckpoint() throws Exception {
        Path dir = copyOf("olmoe_f32");
        try (FileChannel ch = FileChannel.open(dir.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4096);
        }
        CliRun r = CliRun.of("generate", "--model", dir.toString(), "--ids", "1,2", "--max-tokens", "2");
        assertOneErrorLine(r, "model.safetensors", "truncated");
    }

    @Test
    void malformedConfig() throws Exception {
        Path dir = copyOf("olmoe_f32");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        CliRun r = CliRun.of("trace", "--model", dir.toString(), "--ids", "1");
        assertOneErrorLine(r, "config.json", "malformed JSON");
    }

    @Test
    void tokenIdOutsideTheVocabulary() {
        CliRun r = CliRun.of("trace", "--model", CliRun.fixture("olmoe_f32").toString(), "--ids", "1,500");
        assertOneErrorLine(r, "token id 500", "vocabulary 0..127");
    }

    @Test
    void promptTextWithoutTokenizer() {
        CliRun r = CliRun.of("trace", "--model", CliRun.fixture("olmoe_f32").toString(), "--prompt", "hi");
        assertOneErrorLine(r, "olmoe_f32", "no tokenizer.json");
    }

    @Test
    void ablatingANonMoeLayer() {
        CliRun r = CliRun.of(
                "trace", "--model", CliRun.fixture("qwen2_moe_f32").toString(), "--ids", "1", "--ablate", "1:0");
        assertOneErrorLine(r, "--ablate 1:0", "not an MoE layer");
    }

    @Test
    void missingTokenizerFile() {
        CliRun r = CliRun.of("tokenize", "--tokenizer", tmp.resolve("tok.json").toString(), "--text", "x");
        assertOneErrorLine(r, "tok.json", "not found");
    }

    @Test
    void unknownWalkthroughStep() {
        CliRun r =
                CliRun.of("gui", "--snapshot", tmp.resolve("s.png").toString(), "--view", "walk", "--walk-step", "8");
        assertOneErrorLine(r, "--walk-step must be one of hidden-in, logits", "got 8");
        assertFalse(Files.exists(tmp.resolve("s.png")), "nothing written");
    }

    private static void assertOneErrorLine(CliRun r, String... fragments) {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "exactly one line expected on stderr:\n" + r.err());
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace or class names: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr should contain '" + f + "': " + err);
        }
        assertEquals("", r.out(), "nothing on stdout");
    }

    private Path copyOf(String fixture) throws Exception {
        Path dst = Files.createDirectories(tmp.resolve(fixture));
        try (var files = Files.list(CliRun.fixture(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }
}
