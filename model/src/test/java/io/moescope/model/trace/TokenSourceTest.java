package io.moescope.model.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional {@code source} of token lines: written only for template tokens, read back, absent reads as the
 * user's text (every older trace), and a bad value or a generated "template" token is a format error on its line.
 */
class TokenSourceTest {

    private static final String HEADER = "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":2,"
            + "\"model_type\":\"olmoe\",\"num_layers\":1,\"moe_layers\":[0],\"routed_experts\":2,\"shared_experts\":0,"
            + "\"top_k\":1,\"vocab_size\":4}";

    @TempDir
    Path tmp;

    private List<TraceEvent> read(String... tokenLines) throws Exception {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (String t : tokenLines) {
            s.append(t).append('\n');
        }
        s.append("{\"type\":\"end\",\"positions\":").append(tokenLines.length).append(",\"reason\":\"max_tokens\"}\n");
        return JsonlTraceReader.readAll(Files.writeString(tmp.resolve("t.jsonl"), s));
    }

    @Test
    void onlyTemplateTokensCarryTheFieldAndItReadsBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
            w.accept(new TokenEmitted(1, 0, 1, "<s>", Phase.PREFILL, 5, true));
            w.accept(new TokenEmitted(1, 1, 2, "hi", Phase.PREFILL, 5, false));
            w.accept(new TokenEmitted(1, 2, 3, "!", Phase.DECODE, 9));
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].endsWith(",\"source\":\"template\"}"), lines[0]);
        assertFalse(lines[1].contains("source") || lines[2].contains("source"));
        List<TraceEvent> back = read(lines);
        assertTrue(((TokenEmitted) back.get(1)).fromTemplate());
        assertFalse(((TokenEmitted) back.get(2)).fromTemplate());
        assertFalse(((TokenEmitted) back.get(3)).fromTemplate());
        assertEquals(
                new TokenEmitted(0, 0, 1, "<s>", Phase.PREFILL, 5, true).fromTemplate(),
                ((TokenEmitted) back.get(1)).fromTemplate());
    }

    @Test
    void userAndAbsentReadAsTheUsersText() throws Exception {
        List<TraceEvent> back = read(
                "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"prefill\"}",
                "{\"type\":\"token\",\"position\":1,\"id\":1,\"text\":\"a\",\"phase\":\"prefill\",\"source\":\"user\"}");
        assertFalse(((TokenEmitted) back.get(1)).fromTemplate());
        assertFalse(((TokenEmitted) back.get(2)).fromTemplate());
    }

    @Test
    void badSourcesAreFormatErrorsOnTheirLine() {
        TraceFormatException e = assertThrows(
                TraceFormatException.class,
                () -> read(
                        "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"prefill\",\"source\":\"bot\"}"));
        assertTrue(e.getMessage().contains("t.jsonl:2") && e.getMessage().contains("\"source\""), e.getMessage());
        e = assertThrows(
                TraceFormatException.class,
                () -> read(
                        "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"decode\",\"source\":\"template\"}"));
        assertTrue(e.getMessage().contains("t.jsonl:2") && e.getMessage().contains("generated token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenEmitted(1, 0, 1, "a", Phase.DECODE, 1, true));
    }
}
