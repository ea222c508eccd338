package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record of golden.json (made with the Hugging Face tokenizers library from tokenizer.json alone): exact ids
 * for both add_special_tokens values, and the exact decoded text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HfTokenizerGoldenTest {

    private Map<String, List<JsonNode>> byTokenizer;

    @BeforeAll
    void load() {
        byTokenizer = TokenizerGoldens.records("golden.json").stream()
                .collect(Collectors.groupingBy(r -> r.get("tokenizer").asText(), TreeMap::new, Collectors.toList()));
    }

    @Test
    void goldenCoversThreeTokenizersAndBothFlags() {
        assertEquals(List.of("deepseek_v3", "llama2", "qwen3"), new ArrayList<>(byTokenizer.keySet()));
        for (List<JsonNode> records : byTokenizer.values()) {
            assertTrue(
                    records.stream().anyMatch(r -> r.get("add_special_tokens").asBoolean()));
            assertTrue(
                    records.stream().anyMatch(r -> !r.get("add_special_tokens").asBoolean()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek_v3", "qwen3", "llama2"})
    void encodesEveryGoldenTextToTheExactIds(String name) {
        HfTokenizer tok = TokenizerGoldens.tokenizer(name);
        List<String> failures = new ArrayList<>();
        for (JsonNode r : byTokenizer.get(name)) {
            String text = r.get("text").asText();
            boolean special = r.get("add_special_tokens").asBoolean();
            int[] want = TokenizerGoldens.ints(r.get("ids"));
            int[] got = tok.encode(text, special);
            if (!java.util.Arrays.equals(want, got)) {
                failures.add(describe(text, special) + ": want " + java.util.Arrays.toString(want) + " got "
                        + java.util.Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, name + ": encode mismatches");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek_v3", "qwen3", "llama2"})
    void decodesEveryGoldenIdSequenceToTheExactText(String name) {
        HfTokenizer tok = TokenizerGoldens.tokenizer(name);
        List<String> failures = new ArrayList<>();
        for (JsonNode r : byTokenizer.get(name)) {
            String want = r.get("decoded").asText();
            String got = tok.decode(TokenizerGoldens.ints(r.get("ids")), false);
            if (!want.equals(got)) {
                failures.add(describe(
                                r.get("text").asText(),
                                r.get("add_special_tokens").asBoolean()) + ": want " + escape(want) + " got "
                        + escape(got));
            }
        }
        assertEquals(List.of(), failures, name + ": decode mismatches");
    }

    @Test
    void llama2AddsBosOnlyWithSpecialTokens() {
        HfTokenizer tok = TokenizerGoldens.tokenizer("llama2");
        assertEquals(1, tok.encode("Hello", true)[0]);
        assertArrayEquals(new int[] {22557}, tok.encode("Hello", false));
        assertEquals(1, tok.tokenId("<s>"));
        assertEquals(28705, tok.tokenId("▁"));
    }

    private static String describe(String text, boolean special) {
        return escape(text.length() > 40 ? text.substring(0, 40) + "…" : text) + " special=" + special;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints()
                .forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u{%X}", c) : String.valueOf((char) c)));
        return sb.append('"').toString();
    }
}
