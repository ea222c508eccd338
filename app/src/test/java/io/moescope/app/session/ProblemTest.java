package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.trace.TraceFormatException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void anEngineMessageIsShortenedToTheFileNameAndKeepsThePath() {
        Path dir = Path.of("/models/broken");
        Throwable failure = new CompletionException(ModelLoadException.at(
                dir.resolve("config.json"), "num_experts_per_tok 8 exceeds the 4 routed experts"));
        Problem p = Problem.of("Cannot open the model", dir, failure);
        assertEquals("config.json: num_experts_per_tok 8 exceeds the 4 routed experts", p.headline());
        assertEquals("/models/broken/config.json: num_experts_per_tok 8 exceeds the 4 routed experts", p.message());
        assertEquals(dir.resolve("config.json"), p.file());
        assertTrue(p.details().contains("io.moescope.model.io.ModelLoadException"), p.details());
        assertTrue(p.details().contains("stack trace"));
    }

    @Test
    void aRelativeModelDirectoryIsRecognisedToo() {
        Path dir = Path.of("resources/models/x");
        Problem p = Problem.of(
                "Cannot open the model",
                dir,
                ModelLoadException.at(dir.resolve("model.safetensors"), "truncated: 12 of 4096 bytes"));
        assertEquals("model.safetensors: truncated: 12 of 4096 bytes", p.headline());
        assertEquals(dir.resolve("model.safetensors"), p.file());
    }

    @Test
    void traceMessagesKeepTheirLineNumber() {
        Problem p = Problem.of(
                "Cannot open the trace",
                Path.of("/t/run.jsonl"),
                new TraceFormatException("/t/run.jsonl:7: not valid JSON (Unexpected character)"));
        assertEquals("run.jsonl:7: not valid JSON (Unexpected character)", p.headline());
        assertEquals(Path.of("/t/run.jsonl"), p.file());
    }

    @Test
    void proseBeforeTheColonIsNotAFile() {
        Problem p = Problem.of(
                "Cannot run this prompt",
                null,
                new IllegalArgumentException("token id 999: outside the vocabulary of 128"));
        assertEquals("token id 999: outside the vocabulary of 128", p.headline());
        assertNull(p.file());
    }

    @Test
    void fileSystemFailuresNameTheirFile() {
        Problem p = Problem.of(
                "Cannot save x.png",
                Path.of("/ro/x.png"),
                new AccessDeniedException("/ro/x.png", null, "no permission to write in /ro"));
        assertEquals("x.png: no permission to write in /ro", p.headline());
        assertEquals(Path.of("/ro/x.png"), p.file());
    }

    @Test
    void aPlainMessageHasNoDetails() {
        Problem p = Problem.of("Nothing to run", "Open a model first (File → Open model directory…).");
        assertEquals(p.message(), p.headline());
        assertNull(p.file());
        assertEquals("", p.details());
    }
}
