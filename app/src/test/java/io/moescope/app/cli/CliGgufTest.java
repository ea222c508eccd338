package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --model FILE.gguf} opens a GGUF file wherever a model directory opens; its faults are one error line. */
class CliGgufTest {

    private static Path gguf(String path) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/gguf")
                .resolve(path);
    }

    @Test
    void traceRunsAGgufFile() {
        CliRun r = CliRun.of("trace", "--model", gguf("models/olmoe.f32.gguf").toString(), "--prompt", "ab ba");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"RoutingDecision\"") || r.out().contains("routing"), r.out());
    }

    @Test
    void anUnknownArchitectureIsOneErrorLine() {
        CliRun r =
                CliRun.of("generate", "--model", gguf("bad/unknown_arch.gguf").toString(), "--ids", "1");
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err().startsWith("error: ") && r.err().contains("unknown_arch.gguf: unknown architecture"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
