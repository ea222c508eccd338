package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.io.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokenizers built from GGUF metadata (as llama.cpp's converter writes it for DeepSeek-V3, Qwen3 and Llama 2) give
 * the same ids as the original tokenizer.json on every golden text, and decode them to the same text. With special
 * tokens, the BOS/EOS are those llama.cpp adds (add_bos_token / add_eos_token of the metadata).
 */
class GgufTokenizerGoldenTest {

    private static final Map<String, HfTokenizer> LOADED = new ConcurrentHashMap<>();

    static HfTokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return GgufTokenizerJson.load(GgufFixtures.file(n), GgufFixtures.metadata(n));
            } catch (ModelLoadException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek_v3", "qwen3", "llama2"})
    void encodesEveryGoldenTextLikeTheOriginalTokenizerJson(String name) {
        Map<String, Object> md = GgufFixtures.metadata(name);
        HfTokenizer tok = tokenizer(name);
        boolean addBos = Boolean.TRUE.equals(md.get("tokenizer.ggml.add_bos_token"));
        boolean addEos = Boolean.TRUE.equals(md.get("tokenizer.ggml.add_eos_token"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode r : TokenizerGoldens.records("golden.json")) {
            if (!r.get("tokenizer").asText().equals(name)
                    || r.get("add_special_tokens").asBoolean()) {
                continue;
            }
            String text = r.get("text").asText();
            int[] plain = TokenizerGoldens.ints(r.get("ids"));
            int[] withSpecials = plain;
            if (addBos) {
                withSpecials = concat(new int[] {((Long) md.get("tokenizer.ggml.bos_token_id")).intValue()}, plain);
            }
            if (addEos) {
                withSpecials =
                        concat(withSpecials, new int[] {((Long) md.get("tokenizer.ggml.eos_token_id")).intValue()});
            }
            check(failures, text + " special=false", plain, tok.encode(text, false));
            check(failures, text + " special=true", withSpecials, tok.encode(text, true));
            checked++;
        }
        assertTrue(checked >= 50, "golden texts for " + name + ": " + checked);
        assertEquals(List.of(), failures, name + ": encode mismatches");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek_v3", "qwen3", "llama2"})
    void decodesEveryGoldenIdSequenceLikeTheOriginal(String name) {
        HfTokenizer tok = tokenizer(name);
        List<String> failures = new ArrayList<>();
        for (JsonNode r : TokenizerGoldens.records("golden.json")) {
            if (r.get("tokenizer").asText().equals(name)) {
                String want = r.get("decoded").asText();
                String got = tok.decode(TokenizerGoldens.ints(r.get("ids")), false);
                if (!want.equals(got)) {
                    failures.add(r.get("text").asText() + ": want " + want + " got " + got);
                }
            }
        }
        assertEquals(List.of(), failures, name + ": decode mismatches");
    }

    @Test
    void llama2MatchesTheOriginalWithSpecialTokensToo() {
        HfTokenizer tok = tokenizer("llama2");
        for (JsonNode r : TokenizerGoldens.records("golden.json")) {
            if (r.get("tokenizer").asText().equals("llama2")
                    && r.get("add_special_tokens").asBoolean()) {
                assertEquals(
                        Arrays.toString(TokenizerGoldens.ints(r.get("ids"))),
                        Arrays.toString(tok.encode(r.get("text").asText(), true)),
                        r.get("text").asText());
            }
        }
    }

    @Test
    void knowsTheVocabularyAndTokenBytes() {
        HfTokenizer qwen = tokenizer("qwen3");
        assertEquals(151936, qwen.vocabSize());
        assertEquals(151645, qwen.tokenId("<|im_end|>"));
        assertEquals(" world", new String(qwen.tokenBytes(1879), java.nio.charset.StandardCharsets.UTF_8));
        HfTokenizer llama = tokenizer("llama2");
        assertEquals(28705, llama.tokenId("▁"));
        assertEquals(0x0A, llama.tokenBytes(llama.tokenId("<0x0A>"))[0]);
        HfTokenizer deepseek = tokenizer("deepseek_v3");
        assertEquals(129280, deepseek.vocabSize());
        assertFalse(deepseek.decode(new int[] {0, 19923}, true).contains("begin"));
    }

    private static void check(List<String> failures, String what, int[] want, int[] got) {
        if (!Arrays.equals(want, got)) {
            failures.add(what + ": want " + Arrays.toString(want) + " got " + Arrays.toString(got));
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
