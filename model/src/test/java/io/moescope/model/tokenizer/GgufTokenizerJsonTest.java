package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small hand-made GGUF vocabularies: what the built tokenizer does, and one-line errors for bad metadata. */
class GgufTokenizerJsonTest {

    private static final Path FILE = Path.of("tiny.gguf");

    /** Byte-level BPE over "a", "b", "ab", "Ġ", "Ġab", plus a control token. */
    private static Map<String, Object> gpt2() {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "qwen2");
        m.put("tokenizer.ggml.tokens", List.of("a", "b", "ab", "Ġ", "Ġab", "<|end|>"));
        m.put("tokenizer.ggml.token_type", List.of(1L, 1L, 1L, 1L, 1L, 3L));
        m.put("tokenizer.ggml.merges", List.of("a b", "Ġ ab"));
        m.put("tokenizer.ggml.bos_token_id", 5L);
        return m;
    }

    private static String error(Map<String, Object> m) {
        return assertThrows(ModelLoadException.class, () -> GgufTokenizerJson.build(FILE, m))
                .getMessage();
    }

    @Test
    void buildsAWorkingByteLevelTokenizer() throws ModelLoadException {
        Map<String, Object> m = gpt2();
        m.put("tokenizer.ggml.add_bos_token", true);
        try (HfTokenizer tok = GgufTokenizerJson.load(FILE, m)) {
            assertArrayEquals(new int[] {2, 4, 5}, tok.encode("ab ab<|end|>", false));
            assertArrayEquals(new int[] {5, 2}, tok.encode("ab", true));
            assertArrayEquals(new int[] {5, 5, 2}, tok.encode("<|end|>ab", true)); // llama.cpp does not dedupe the BOS
            assertEquals("ab ab", tok.decode(new int[] {5, 2, 4}, true));
        }
    }

    @Test
    void unknownModelOrPreTokenizerIsNamed() {
        Map<String, Object> m = gpt2();
        m.put("tokenizer.ggml.pre", "brand-new");
        String e = error(m);
        assertTrue(e.startsWith("tiny.gguf: tokenizer.ggml.pre: unknown pre-tokenizer 'brand-new'"), e);
        m.put("tokenizer.ggml.model", "t5");
        assertTrue(error(m).contains("tokenizer.ggml.model: tokenizer model 't5' is not supported"), error(m));
    }

    @Test
    void badArraysAreNamed() {
        Map<String, Object> m = gpt2();
        m.remove("tokenizer.ggml.tokens");
        assertEquals("tiny.gguf: tokenizer.ggml.tokens: missing", error(m));

        m = gpt2();
        m.put("tokenizer.ggml.token_type", List.of(1L, 1L));
        assertEquals("tiny.gguf: tokenizer.ggml.token_type: 2 entries for 6 tokens", error(m));

        m = gpt2();
        m.put("tokenizer.ggml.merges", List.of("a b", "b c"));
        assertTrue(error(m).startsWith("tiny.gguf: tokenizer.ggml.merges: merge 1 'b c' is not two known tokens"));

        m = gpt2();
        m.put("tokenizer.ggml.merges", List.of("ab"));
        assertTrue(error(m).contains("merge 0 'ab'"), error(m));

        m = gpt2();
        m.put("tokenizer.ggml.merges", List.of("b a")); // both known, but "ba" is not a token
        assertTrue(error(m).contains("merge 0 'b a'"), error(m));

        m = gpt2();
        m.put("tokenizer.ggml.tokens", List.of("a", "b", "ab", "Ġ", "Ġab", 7L));
        assertEquals("tiny.gguf: tokenizer.ggml.tokens: element 5 is an integer, expected a string", error(m));

        m = gpt2();
        m.put("tokenizer.ggml.tokens", List.of("a", "b", "ab", "Ġ", "a", "<|end|>"));
        assertTrue(error(m).contains("token 'a' appears twice (ids 0 and 4)"), error(m));
    }

    @Test
    void specialIdsOutOfRangeAreNamed() {
        Map<String, Object> m = gpt2();
        m.put("tokenizer.ggml.add_bos_token", true);
        m.put("tokenizer.ggml.bos_token_id", 6L);
        assertEquals("tiny.gguf: tokenizer.ggml.bos_token_id: token id 6 is outside the vocabulary (0..5)", error(m));
        m.remove("tokenizer.ggml.bos_token_id");
        assertEquals(
                "tiny.gguf: tokenizer.ggml.bos_token_id: missing, and the default id 11 is outside the vocabulary",
                error(m));
        m.put("tokenizer.ggml.bos_token_id", "5");
        assertEquals("tiny.gguf: tokenizer.ggml.bos_token_id: expected an integer, found a string", error(m));
    }

    @Test
    void sentencePieceNeedsScoresAndUsesThemForMerges() throws ModelLoadException {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁a"));
        m.put("tokenizer.ggml.token_type", List.of(2L, 3L, 3L, 1L, 1L, 1L, 1L, 1L));
        assertEquals(
                "tiny.gguf: tokenizer.ggml.scores: missing (a llama tokenizer ranks its merges by them)", error(m));
        // "▁ab" has two competing merges: ▁ + a -> ▁a and a + b -> ab; the higher score wins
        m.put("tokenizer.ggml.scores", List.of(0.0, 0.0, 0.0, -9.0, -9.0, -9.0, -2.0, -1.0));
        try (HfTokenizer tok = GgufTokenizerJson.load(FILE, m)) {
            assertArrayEquals(new int[] {1, 7, 5}, tok.encode("ab", true));
            assertEquals("ab", tok.decode(new int[] {1, 7, 5}, true));
        }
        m.put("tokenizer.ggml.scores", List.of(0.0, 0.0, 0.0, -9.0, -9.0, -9.0, -1.0, -2.0));
        m.put("tokenizer.ggml.add_bos_token", false);
        try (HfTokenizer tok = GgufTokenizerJson.load(FILE, m)) {
            assertArrayEquals(new int[] {3, 6}, tok.encode("ab", true));
        }
    }
}
