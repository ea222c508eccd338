package io.moescope.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.GgufPreTokenizers.PreTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face tokenizer.json that a GGUF file's tokenizer metadata ({@code tokenizer.ggml.*}) stands for, so
 * the Hugging Face tokenizers library (through DJL) gives the model's exact ids. {@code gpt2} becomes byte-level BPE
 * with the pre-tokenizer named by {@code tokenizer.ggml.pre}; {@code llama} becomes SentencePiece-style BPE with
 * byte fallback, merges derived from the scores. BOS/EOS are added the way llama.cpp adds them: by
 * {@code add_bos_token}/{@code add_eos_token}, else the model type's default, even when the text already starts
 * with a BOS. A file that carries {@code tokenizer.huggingface.json} is used as it is.
 */
public final class GgufTokenizerJson {

    static final long NORMAL = 1;
    static final long UNKNOWN = 2;
    static final long CONTROL = 3;
    static final long USER_DEFINED = 4;

    private static final String P = "tokenizer.ggml.";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private GgufTokenizerJson() {}

    /** The tokenizer of a GGUF file, from its metadata map (as the GGUF reader returns it). */
    public static HfTokenizer load(Path file, Map<String, Object> metadata) throws ModelLoadException {
        return HfTokenizer.fromJson(build(file, metadata), file);
    }

    /** The tokenizer.json document for a GGUF file's metadata. */
    public static ObjectNode build(Path file, Map<String, Object> metadata) throws ModelLoadException {
        GgufKeys keys = new GgufKeys(file, metadata);
        String embedded = keys.string("tokenizer.huggingface.json", null);
        if (embedded != null) {
            try {
                JsonNode root = new ObjectMapper().readTree(embedded);
                if (root instanceof ObjectNode) {
                    return (ObjectNode) root;
                }
            } catch (IOException e) {
                // reported below
            }
            throw keys.error("tokenizer.huggingface.json", "not a JSON object");
        }
        String model = keys.string(P + "model", null);
        if (model == null) {
            throw keys.error(P + "model", "missing");
        }
        List<String> tokens = keys.list(P + "tokens", String.class);
        if (tokens.isEmpty()) {
            throw keys.error(P + "tokens", "empty");
        }
        int n = tokens.size();
        List<Long> types = keys.perToken(P + "token_type", Long.class, n);
        tokens = nonEmpty(tokens);
        ObjectNode vocab = F.objectNode();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Integer twice = ids.putIfAbsent(tokens.get(i), i);
            if (twice != null) {
                throw keys.error(
                        P + "tokens",
                        "token " + quote(tokens.get(i)) + " appears twice (ids " + twice + " and " + i + ")");
            }
            vocab.put(tokens.get(i), i);
        }
        ObjectNode root = F.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.set("added_tokens", addedTokens(tokens, types));
        if ("gpt2".equals(model)) {
            byteLevelBpe(keys, root, vocab, ids, tokens);
        } else if ("llama".equals(model)) {
            sentencePieceBpe(keys, root, vocab, tokens, types);
        } else {
            throw keys.error(P + "model", "tokenizer model " + quote(model) + " is not supported (gpt2 and llama are)");
        }
        return root;
    }

    private static void byteLevelBpe(
            GgufKeys keys, ObjectNode root, ObjectNode vocab, Map<String, Integer> ids, List<String> tokens)
            throws ModelLoadException {
        String name = keys.string(P + "pre", "default");
        PreTokenizer pre = GgufPreTokenizers.byName(name);
        if (pre == null) {
            throw keys.error(
                    P + "pre",
                    "unknown pre-tokenizer " + quote(name) + " (known: " + GgufPreTokenizers.knownNames() + ")");
        }
        List<String> merges = keys.list(P + "merges", String.class);
        ArrayNode pairs = F.arrayNode(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            String m = merges.get(i);
            int space = m.indexOf(' ', 1); // as llama.cpp: a left part that is a lone space survives
            if (space < 0
                    || !ids.containsKey(m.substring(0, space))
                    || !ids.containsKey(m.substring(space + 1))
                    || !ids.containsKey(m.substring(0, space) + m.substring(space + 1))) {
                throw keys.error(
                        P + "merges",
                        "merge " + i + " " + quote(m) + " is not two known tokens whose" + " concatenation is a token");
            }
            pairs.add(F.arrayNode(2).add(m.substring(0, space)).add(m.substring(space + 1)));
        }
        root.set("normalizer", pre.nfc() ? F.objectNode().put("type", "NFC") : F.nullNode());
        ArrayNode steps = F.arrayNode();
        for (String regex : pre.splits()) {
            ObjectNode split = steps.addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", regex);
            split.put("behavior", "Isolated").put("invert", false);
        }
        steps.add(byteLevel(pre.gpt2Regex()));
        root.set("pre_tokenizer", F.objectNode().put("type", "Sequence").set("pretokenizers", steps));
        boolean addBos = keys.bool(P + "add_bos_token", pre.addBos());
        boolean addEos = keys.bool(P + "add_eos_token", false);
        JsonNode post = template(keys, tokens, addBos, 11, addEos, 11);
        root.set("post_processor", post != null ? post : byteLevel(false));
        root.set("decoder", byteLevel(false));
        ObjectNode bpe = bpeModel(vocab, pairs, false);
        bpe.put("ignore_merges", pre.ignoreMerges());
        root.set("model", bpe);
    }

    private static void sentencePieceBpe(
            GgufKeys keys, ObjectNode root, ObjectNode vocab, List<String> tokens, List<Long> types)
            throws ModelLoadException {
        int n = tokens.size();
        List<Double> scores = keys.perToken(P + "scores", Double.class, n);
        if (scores == null) {
            throw keys.error(P + "scores", "missing (a llama tokenizer ranks its merges by them)");
        }
        int unk = keys.tokenId(P + "unknown_token_id", inRange(keys, P + "unknown_token_id", 0, n), n);
        boolean spacePrefix = keys.bool(P + "add_space_prefix", true);
        ArrayNode norm = F.arrayNode();
        if (keys.bool(P + "remove_extra_whitespaces", false)) {
            norm.addObject().put("type", "Strip").put("strip_left", true).put("strip_right", true);
            ObjectNode collapse = norm.addObject().put("type", "Replace");
            collapse.putObject("pattern").put("Regex", " {2,}");
            collapse.put("content", " ");
        }
        if (spacePrefix) {
            norm.addObject().put("type", "Prepend").put("prepend", "\u2581");
        }
        ObjectNode space = norm.addObject().put("type", "Replace");
        space.putObject("pattern").put("String", " ");
        space.put("content", "\u2581");
        root.set("normalizer", F.objectNode().put("type", "Sequence").set("normalizers", norm));
        root.putNull("pre_tokenizer");
        boolean addBos = keys.bool(P + "add_bos_token", true);
        boolean addEos = keys.bool(P + "add_eos_token", false);
        root.set("post_processor", template(keys, tokens, addBos, 1, addEos, 2));
        ArrayNode dec = F.arrayNode();
        ObjectNode unspace = dec.addObject().put("type", "Replace");
        unspace.putObject("pattern").put("String", "\u2581");
        unspace.put("content", " ");
        dec.addObject().put("type", "ByteFallback");
        dec.addObject().put("type", "Fuse");
        if (spacePrefix) {
            dec.addObject()
                    .put("type", "Strip")
                    .put("content", " ")
                    .put("start", 1)
                    .put("stop", 0);
        }
        root.set("decoder", F.objectNode().put("type", "Sequence").set("decoders", dec));
        ArrayNode pairs = F.arrayNode();
        for (String[] m : SpmMerges.fromScores(tokens, scores, types)) {
            pairs.add(F.arrayNode(2).add(m[0]).add(m[1]));
        }
        ObjectNode bpe = bpeModel(vocab, pairs, true);
        bpe.put("unk_token", tokens.get(unk));
        root.set("model", bpe);
    }

    /** CONTROL and UNKNOWN tokens are special added tokens, USER_DEFINED ones plain added tokens (matched whole). */
    private static ArrayNode addedTokens(List<String> tokens, List<Long> types) {
        ArrayNode added = F.arrayNode();
        for (int i = 0; types != null && i < tokens.size(); i++) {
            long t = types.get(i);
            if (t == CONTROL || t == UNKNOWN || t == USER_DEFINED) {
                added.addObject()
                        .put("id", i)
                        .put("content", tokens.get(i))
                        .put("single_word", false)
                        .put("lstrip", false)
                        .put("rstrip", false)
                        .put("normalized", false)
                        .put("special", t != USER_DEFINED);
            }
        }
        return added;
    }

    /** BOS + text (+ EOS) as llama.cpp adds them, or null when neither is added. */
    private static JsonNode template(
            GgufKeys keys, List<String> tokens, boolean addBos, int bosDefault, boolean addEos, int eosDefault)
            throws ModelLoadException {
        if (!addBos && !addEos) {
            return null;
        }
        int n = tokens.size();
        ObjectNode specials = F.objectNode();
        ArrayNode single = F.arrayNode();
        ArrayNode pair = F.arrayNode();
        int bos = addBos ? keys.tokenId(P + "bos_token_id", inRange(keys, P + "bos_token_id", bosDefault, n), n) : -1;
        int eos = addEos ? keys.tokenId(P + "eos_token_id", inRange(keys, P + "eos_token_id", eosDefault, n), n) : -1;
        if (addBos) {
            special(single, specials, tokens, bos, 0);
            special(pair, specials, tokens, bos, 0);
        }
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (addEos) {
            special(single, specials, tokens, eos, 0);
            special(pair, specials, tokens, eos, 0);
        }
        if (addBos) {
            special(pair, specials, tokens, bos, 1);
        }
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        if (addEos) {
            special(pair, specials, tokens, eos, 1);
        }
        ObjectNode post = F.objectNode().put("type", "TemplateProcessing");
        post.set("single", single);
        post.set("pair", pair);
        post.set("special_tokens", specials);
        return post;
    }

    private static void special(ArrayNode seq, ObjectNode specials, List<String> tokens, int id, int typeId) {
        String token = tokens.get(id);
        seq.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
        ObjectNode s = specials.putObject(token).put("id", token);
        s.putArray("ids").add(id);
        s.putArray("tokens").add(token);
    }

    /** llama.cpp's default special id, checked against the vocabulary like an id read from the file. */
    private static int inRange(GgufKeys keys, String key, int fallback, int n) throws ModelLoadException {
        if (!keys.has(key) && fallback >= n) {
            throw keys.error(key, "missing, and the default id " + fallback + " is outside the vocabulary");
        }
        return fallback;
    }

    private static ObjectNode bpeModel(ObjectNode vocab, ArrayNode merges, boolean sentencePiece) {
        ObjectNode m = F.objectNode().put("type", "BPE").putNull("dropout");
        m.putNull("unk_token").putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
        m.put("fuse_unk", sentencePiece).put("byte_fallback", sentencePiece).put("ignore_merges", false);
        m.set("vocab", vocab);
        m.set("merges", merges);
        return m;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return F.objectNode()
                .put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", false)
                .put("use_regex", useRegex);
    }

    /** As llama.cpp: an empty token string becomes "[EMPTY_i]". */
    private static List<String> nonEmpty(List<String> tokens) {
        if (!tokens.contains("")) {
            return tokens;
        }
        String[] out = tokens.toArray(new String[0]);
        for (int i = 0; i < out.length; i++) {
            if (out[i].isEmpty()) {
                out[i] = "[EMPTY_" + i + "]";
            }
        }
        return List.of(out);
    }

    private static String quote(String s) {
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
    }
}
