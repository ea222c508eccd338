package io.moescope.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.base.AtomicFiles;
import io.moescope.model.tokenizer.ByteLevelChars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a byte-level BPE vocabulary and merge list as a Hugging Face tokenizer.json (atomically). */
final class TokenizerJsonWriter {
    private TokenizerJsonWriter() {}

    /**
     * @param tokens token byte strings; index = internal id, ids 0..255 are the single bytes
     * @param merges pairs of internal ids, in rank order; merge m produced internal id 256 + m
     */
    static void write(Path target, List<String> specials, List<byte[]> tokens, List<int[]> merges) throws IOException {
        int base = specials.size();
        Map<String, Object> vocab = new LinkedHashMap<>();
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < specials.size(); i++) {
            vocab.put(specials.get(i), i);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", i);
            t.put("content", specials.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        String[] text = new String[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            text[i] = ByteLevelChars.toChars(tokens.get(i));
            vocab.put(text[i], base + i);
        }
        List<String> mergeText = new ArrayList<>();
        for (int[] m : merges) {
            mergeText.add(text[m[0]] + " " + text[m[1]]);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", mergeText);

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put(
                "pre_tokenizer",
                Map.of(
                        "type",
                        "Sequence",
                        "pretokenizers",
                        List.of(
                                ordered(
                                        "type",
                                        "Split",
                                        "pattern",
                                        Map.of("Regex", PreTokenizerRegex.PATTERN),
                                        "behavior",
                                        "Isolated",
                                        "invert",
                                        false),
                                ordered(
                                        "type",
                                        "ByteLevel",
                                        "add_prefix_space",
                                        false,
                                        "trim_offsets",
                                        true,
                                        "use_regex",
                                        false))));
        String bos = specials.get(0);
        root.put(
                "post_processor",
                ordered(
                        "type",
                        "TemplateProcessing",
                        "single",
                        List.of(
                                Map.of("SpecialToken", ordered("id", bos, "type_id", 0)),
                                Map.of("Sequence", ordered("id", "A", "type_id", 0))),
                        "pair",
                        List.of(
                                Map.of("SpecialToken", ordered("id", bos, "type_id", 0)),
                                Map.of("Sequence", ordered("id", "A", "type_id", 0)),
                                Map.of("SpecialToken", ordered("id", bos, "type_id", 1)),
                                Map.of("Sequence", ordered("id", "B", "type_id", 1))),
                        "special_tokens",
                        Map.of(bos, ordered("id", bos, "ids", List.of(0), "tokens", List.of(bos)))));
        root.put(
                "decoder",
                ordered("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", true, "use_regex", true));
        root.put("model", model);
        AtomicFiles.write(
                target,
                out -> new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(out, root));
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
