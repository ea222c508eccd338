package io.moescope.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face {@code tokenizer.json} run by the Hugging Face tokenizers library itself (through DJL's JNI
 * binding), so every normaliser, pre-tokenizer and decoder behaves exactly as in Python.
 */
public final class HfTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocab;
    private int prependBos = -1;

    private final Map<Integer, String> pieces = new HashMap<>(); // id -> token string as in tokenizer.json
    private final boolean byteLevel; // pieces use the GPT-2 byte alphabet

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab, boolean byteLevel) {
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.byteLevel = byteLevel;
        vocab.forEach((piece, id) -> pieces.put(id, piece));
    }

    /**
     * Loads a model directory's tokenizer the way transformers does for that model: tokenizer.json, plus the
     * {@code add_bos_token} rule of tokenizer_config.json (DeepSeek's and Llama's tokenizer.json files do not add
     * the BOS themselves; transformers adds it from the config).
     */
    public static HfTokenizer loadForModel(Path dir) throws ModelLoadException {
        TokenizerConfig config = TokenizerConfig.of(dir); // before the native tokenizer, which is not garbage-collected
        HfTokenizer tok = load(dir);
        if (config.addBosToken() && config.bosToken() != null) {
            tok.prependBos = tok.tokenId(config.bosToken());
        }
        return tok;
    }

    /**
     * Loads a tokenizer.json (or tokenizer.json.gz), or the tokenizer.json inside a model directory, exactly as the
     * Hugging Face tokenizers library reads that file alone.
     */
    public static HfTokenizer load(Path path) throws ModelLoadException {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve("tokenizer.json");
            if (!Files.isRegularFile(file) && Files.isRegularFile(path.resolve("tokenizer.json.gz"))) {
                file = path.resolve("tokenizer.json.gz");
            }
        }
        if (!Files.isRegularFile(file)) {
            throw ModelLoadException.at(file, "tokenizer file not found");
        }
        String json;
        try (InputStream in = open(file)) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw ModelLoadException.at(
                    file,
                    "malformed tokenizer JSON: "
                            + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        return create(root, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), file);
    }

    /**
     * A tokenizer from an in-memory tokenizer.json document (e.g. one built from GGUF metadata), exactly as the
     * Hugging Face tokenizers library reads that document; {@code origin} names it in error messages.
     */
    public static HfTokenizer fromJson(JsonNode root, Path origin) throws ModelLoadException {
        try {
            return create(root, new ObjectMapper().writeValueAsBytes(root), origin);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ModelLoadException.at(origin, "cannot write the tokenizer JSON: " + e.getOriginalMessage());
        }
    }

    private static HfTokenizer create(JsonNode root, byte[] json, Path file) throws ModelLoadException {
        if (root == null || !root.isObject() || !root.has("model")) {
            throw ModelLoadException.at(file, "not a Hugging Face tokenizer.json (no \"model\" section)");
        }
        Map<String, Integer> vocab = new HashMap<>();
        root.path("model")
                .path("vocab")
                .fields()
                .forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        root.path("added_tokens")
                .forEach(t -> vocab.put(t.path("content").asText(), t.path("id").asInt()));
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "true");
        options.put("truncation", "false");
        options.put("padding", "false");
        options.put("modelMaxLength", String.valueOf(Integer.MAX_VALUE));
        try {
            HuggingFaceTokenizer tok = DjlTokenizers.newInstance(new java.io.ByteArrayInputStream(json), options);
            return new HfTokenizer(tok, vocab, "ByteLevel".equals(decoderType(root)));
        } catch (RuntimeException | IOException e) {
            throw ModelLoadException.at(file, "the tokenizers library rejected it: " + e.getMessage());
        }
    }

    /** The decoder's type, or the first ByteLevel step of a Sequence decoder. */
    private static String decoderType(JsonNode root) {
        JsonNode d = root.path("decoder");
        if ("Sequence".equals(d.path("type").asText())) {
            for (JsonNode step : d.path("decoders")) {
                if ("ByteLevel".equals(step.path("type").asText())) {
                    return "ByteLevel";
                }
            }
        }
        return d.path("type").asText();
    }

    @Override
    public byte[] tokenBytes(int id) {
        String piece = pieces.get(id);
        if (piece == null) {
            return null;
        }
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) { // SentencePiece byte fallback
            try {
                return new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return byteLevel ? ByteLevelChars.toBytes(piece) : null;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        long[] ids = tokenizer.encode(text, addSpecialTokens, false).getIds();
        boolean bos = addSpecialTokens && prependBos >= 0 && (ids.length == 0 || ids[0] != prependBos);
        int[] out = new int[ids.length + (bos ? 1 : 0)];
        if (bos) {
            out[0] = prependBos;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + (bos ? 1 : 0)] = (int) ids[i];
        }
        return out;
    }

    /**
     * Encodes like {@link #encode} and tells, per token, which characters of {@code text} it came from (the
     * tokenizers library's offsets, converted from code points to UTF-16 indices).
     */
    public TokenSpans encodeWithSpans(String text, boolean addSpecialTokens) {
        Encoding enc = tokenizer.encode(text, addSpecialTokens, false);
        long[] ids = enc.getIds();
        CharSpan[] spans = enc.getCharTokenSpans();
        int shift = addSpecialTokens && prependBos >= 0 && (ids.length == 0 || ids[0] != prependBos) ? 1 : 0;
        int[] out = new int[ids.length + shift];
        int[] start = new int[out.length];
        int[] end = new int[out.length];
        if (shift == 1) {
            out[0] = prependBos;
        }
        int codePoints = text.codePointCount(0, text.length());
        int[] utf16 = new int[codePoints + 1]; // code point index -> UTF-16 index
        for (int cp = 0, at = 0; cp < codePoints; cp++) {
            at += Character.charCount(text.codePointAt(at));
            utf16[cp + 1] = at;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + shift] = (int) ids[i];
            CharSpan sp = spans == null || i >= spans.length ? null : spans[i];
            int s = sp == null ? 0 : Math.max(0, Math.min(sp.getStart(), codePoints));
            int e = sp == null ? 0 : Math.max(s, Math.min(sp.getEnd(), codePoints));
            start[i + shift] = utf16[s];
            end[i + shift] = utf16[e];
        }
        return new TokenSpans(out, start, end);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    @Override
    public int tokenId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
