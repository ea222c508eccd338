package io.moescope.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory's tokenizer_config.json, read once for everything that needs it: the tokenizer's
 * {@code add_bos_token} rule and the chat template's BOS/EOS texts and {@code chat_template}. A directory without the
 * file gives {@link #ABSENT}; a file that is not JSON is an error naming it.
 *
 * @param file the file (null for {@link #ABSENT})
 * @param root its JSON object (a missing node when absent or not an object)
 */
public record TokenizerConfig(Path file, JsonNode root) {

    /** No tokenizer_config.json. */
    public static final TokenizerConfig ABSENT = new TokenizerConfig(null, MissingNode.getInstance());

    /** The directory's tokenizer_config.json, or {@link #ABSENT} where it has none. */
    public static TokenizerConfig of(Path dir) throws ModelLoadException {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return ABSENT;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            return new TokenizerConfig(file, root == null ? MissingNode.getInstance() : root);
        } catch (IOException e) {
            throw ModelLoadException.at(
                    file, "malformed JSON: " + String.valueOf(e.getMessage()).split("\n")[0]);
        }
    }

    public boolean present() {
        return file != null;
    }

    /** The BOS token's text ({@code "<s>"} or {@code {"content": "<s>", …}}), null where none is given as text. */
    public String bosToken() {
        return content(root.path("bos_token"));
    }

    /** The EOS token's text, as {@link #bosToken}. */
    public String eosToken() {
        return content(root.path("eos_token"));
    }

    /** transformers' {@code add_bos_token}: prepend the BOS when encoding (false when absent). */
    public boolean addBosToken() {
        return root.path("add_bos_token").asBoolean(false);
    }

    /** The raw {@code chat_template} node: a string, a list of named templates, or null where the key is absent. */
    public JsonNode chatTemplate() {
        return root.get("chat_template");
    }

    private static String content(JsonNode token) {
        JsonNode c = token.isObject() ? token.get("content") : token;
        return c != null && c.isTextual() ? c.asText() : null;
    }
}
