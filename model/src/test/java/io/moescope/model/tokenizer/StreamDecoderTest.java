package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Incremental detokenisation against stream.json: each push emits exactly the reference's text for that token,
 * never U+FFFD, and pushes + flush concatenate to the full decode (llama2's stripped leading space included).
 */
class StreamDecoderTest {

    static Stream<Arguments> records() {
        return TokenizerGoldens.records("stream.json").stream()
                .map(r -> Arguments.of(
                        r.get("tokenizer").asText(), shortText(r.get("text").asText()), r));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("records")
    void pushesEmitTheReferenceStream(String name, String label, JsonNode r) {
        Tokenizer tok = TokenizerGoldens.tokenizer(name);
        int[] ids = TokenizerGoldens.ints(r.get("ids"));
        StreamDecoder dec = tok.streamDecoder();
        List<String> want = new ArrayList<>();
        r.get("stream").forEach(s -> want.add(s.asText()));
        List<String> got = new ArrayList<>();
        for (int id : ids) {
            got.add(dec.push(id));
        }
        assertEquals(want, got, name + " per-token stream");
        assertEquals("", dec.flush(), "nothing left after a complete text");
        assertEquals(tok.decode(ids, false), String.join("", got));
    }

    @Test
    void incompleteCharacterIsHeldBackAndFlushedAsIs() {
        Tokenizer tok = TokenizerGoldens.tokenizer("llama2");
        // "🍕" as byte-fallback tokens <0xF0><0x9F><0x8D><0x95> after "▁a"
        int[] ids = tok.encode("a 🍕", false);
        StreamDecoder dec = tok.streamDecoder();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length - 1; i++) {
            String s = dec.push(ids[i]);
            assertFalse(s.contains("\uFFFD"), "emitted a replacement character: " + s);
            out.append(s);
        }
        String rest = dec.flush();
        String partial = tok.decode(java.util.Arrays.copyOf(ids, ids.length - 1), false);
        assertEquals(partial, out + rest, "flush returns the held-back bytes decoded as they are");
    }

    @Test
    void llama2KeepsSpacesBetweenWordsButStripsTheOneBeforeTheFirst() {
        Tokenizer tok = TokenizerGoldens.tokenizer("llama2");
        assertEquals(List.of("Hello", " world", ","), pieces(tok, tok.encode("Hello world,", false)));
        // with BOS the full decode is "<s> Hello world,": the space after <s> is kept, as in Hugging Face
        assertEquals(List.of("<s>", " Hello", " world", ","), pieces(tok, tok.encode("Hello world,", true)));
        // a lone "▁" first token is stripped, the word after it is not
        assertEquals(List.of("", "Hello"), pieces(tok, new int[] {28705, tok.tokenId("Hello")}));
    }

    private static List<String> pieces(Tokenizer tok, int[] ids) {
        StreamDecoder dec = tok.streamDecoder();
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(dec.push(id));
        }
        assertEquals("", dec.flush());
        assertEquals(tok.decode(ids, false), String.join("", out));
        return out;
    }

    @Test
    void longSequencesMatchTheFullDecodeForEveryTokenizer() {
        String text = "Die Straße 東京🗼 café\tnaïve 👨\u200d👩\u200d👧 — x² ≠ y³. 12345 ";
        for (String name : List.of("deepseek_v3", "qwen3", "llama2")) {
            Tokenizer tok = TokenizerGoldens.tokenizer(name);
            int[] ids = tok.encode(text.repeat(8), false);
            StreamDecoder dec = tok.streamDecoder();
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                String s = dec.push(id);
                assertFalse(s.contains("\uFFFD"), name + " emitted a replacement character");
                out.append(s);
            }
            out.append(dec.flush());
            assertEquals(tok.decode(ids, false), out.toString(), name);
        }
    }

    private static String shortText(String s) {
        return s.length() > 12 ? s.substring(0, 12) + "…" : s;
    }
}
