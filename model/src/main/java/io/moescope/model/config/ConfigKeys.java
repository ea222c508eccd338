package io.moescope.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.io.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, checked access to the keys of one {@code config.json}: every failure is one {@link ModelLoadException}
 * naming the file and the key. Family descriptions read their own keys through this.
 */
public final class ConfigKeys {

    private final Path file;
    private final JsonNode root;

    ConfigKeys(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** The config.json these keys come from (for error messages). */
    public Path file() {
        return file;
    }

    /** A one-line error about this file. */
    public ModelLoadException error(String problem) {
        return ModelLoadException.at(file, problem);
    }

    public boolean has(String key) {
        return root.hasNonNull(key);
    }

    /** The raw node (null if absent), for nested objects such as rope_parameters. */
    public JsonNode node(String key) {
        return root.get(key);
    }

    public String text(String key, String def) {
        return root.path(key).asText(def);
    }

    public int posInt(String key) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw error("missing required key \"" + key + "\"");
        }
        if (!n.canConvertToInt() || n.asInt() <= 0) {
            throw error("\"" + key + "\" must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    /** The first of several spellings that is present (transformers v5 renames some keys, e.g. num_local_experts). */
    public int posIntAny(String... keys) throws ModelLoadException {
        for (String k : keys) {
            if (root.hasNonNull(k)) {
                return posInt(k);
            }
        }
        return posInt(keys[0]);
    }

    public int optInt(String key, int def) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.canConvertToInt()) {
            throw error("\"" + key + "\" must be an integer, got " + n);
        }
        return n.asInt();
    }

    /** An optional key that, when present, must be a positive integer. */
    public int optPosInt(String key, int def) throws ModelLoadException {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? def : posInt(key);
    }

    public double optDouble(String key, double def) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isNumber()) {
            throw error("\"" + key + "\" must be a number, got " + n);
        }
        return n.asDouble();
    }

    public boolean optBool(String key, boolean def) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? def : n.asBoolean(def);
    }

    /** An int or a list of ints ([] if absent). */
    public int[] ids(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return new int[0];
        }
        if (n.isArray()) {
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = n.get(i).asInt();
            }
            return out;
        }
        return new int[] {n.asInt()};
    }

    /** A list of strings, or null if the key is absent. */
    public List<String> strings(String key) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw error("\"" + key + "\" must be a list of strings, got " + n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw error("\"" + key + "\" must be a list of strings, got " + n);
            }
            out.add(e.asText());
        }
        return out;
    }
}
