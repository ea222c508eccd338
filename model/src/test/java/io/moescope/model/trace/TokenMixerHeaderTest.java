package io.moescope.model.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code token_mixers} header field, and the older {@code linear_attention_layers} it generalises. */
class TokenMixerHeaderTest {

    private static final String HEAD = "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":2,"
            + "\"model_type\":\"m\",\"num_layers\":3,\"moe_layers\":[1,2],\"routed_experts\":4,\"shared_experts\":0,"
            + "\"top_k\":2,\"vocab_size\":16";
    private static final TokenMixer A = TokenMixer.ATTENTION;
    private static final TokenMixer L = TokenMixer.LINEAR_ATTENTION;
    private static final TokenMixer C = TokenMixer.SHORT_CONV;

    @TempDir
    Path tmp;

    private ModelShape read(String fields) throws Exception {
        Path f = Files.writeString(tmp.resolve("t.jsonl"), HEAD + fields + "}\n");
        return ((SequenceStarted) JsonlTraceReader.readAll(f).get(0)).shape();
    }

    private String written(ModelShape shape) throws Exception {
        Path f = tmp.resolve("w.jsonl");
        try (JsonlTraceWriter w = new JsonlTraceWriter(Files.newOutputStream(f), false)) {
            w.accept(new SequenceStarted(1, shape));
            w.accept(new SequenceFinished(1, 0, StopReason.PREFILL_ONLY));
        }
        assertEquals(shape, ((SequenceStarted) JsonlTraceReader.readAll(f).get(0)).shape());
        return Files.readAllLines(f).get(0);
    }

    @Test
    void oldHeadersReadAsBefore() throws Exception {
        assertArrayEquals(new TokenMixer[] {A, A, A}, read("").tokenMixers());
        ModelShape linear = read(",\"linear_attention_layers\":[0,2]");
        assertArrayEquals(new TokenMixer[] {L, A, L}, linear.tokenMixers());
        assertArrayEquals(new int[] {0, 2}, linear.linearAttentionLayers());
    }

    @Test
    void writtenOnlyForHybridModelsAndReadBack() throws Exception {
        ModelShape plain = read("");
        assertFalse(written(plain).contains("token_mixers"));
        assertFalse(written(plain).contains("linear_attention_layers"));
        ModelShape conv = new ModelShape("m", 3, new int[] {1, 2}, 4, 0, 2, 16, 1, new TokenMixer[] {C, A, C});
        String line = written(conv);
        assertTrue(line.contains("\"token_mixers\":[\"short_conv\",\"attention\",\"short_conv\"]"), line);
        assertFalse(line.contains("linear_attention_layers"), line);
        ModelShape delta = read(",\"linear_attention_layers\":[1]");
        line = written(delta);
        assertTrue(line.contains("\"linear_attention_layers\":[1]") && line.contains("\"token_mixers\""), line);
        assertArrayEquals(new int[] {0, 2}, conv.layersOf(C));
    }

    @Test
    void tokenMixersWinOverTheOlderField() throws Exception {
        ModelShape s = read(",\"linear_attention_layers\":[0],\"token_mixers\":[\"short_conv\",\"attention\","
                + "\"linear_attention\"]");
        assertArrayEquals(new TokenMixer[] {C, A, L}, s.tokenMixers());
    }

    @Test
    void badTokenMixersAreFormatErrors() {
        TraceFormatException e =
                assertThrows(TraceFormatException.class, () -> read(",\"token_mixers\":[\"attention\",\"attention\"]"));
        assertTrue(
                e.getMessage().contains("t.jsonl:1") && e.getMessage().contains("one mixer per layer (3)"),
                e.getMessage());
        e = assertThrows(
                TraceFormatException.class, () -> read(",\"token_mixers\":[\"attention\",\"mamba\",\"attention\"]"));
        assertTrue(e.getMessage().contains("\"token_mixers\"[1] is 'mamba'"), e.getMessage());
    }
}
