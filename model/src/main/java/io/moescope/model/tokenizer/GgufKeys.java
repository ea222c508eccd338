package io.moescope.model.tokenizer;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a GGUF metadata map (values {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code List<Object>}), each failure one line naming the file and the key.
 */
final class GgufKeys {

    private final Path file;
    private final Map<String, Object> metadata;

    GgufKeys(Path file, Map<String, Object> metadata) {
        this.file = file;
        this.metadata = metadata;
    }

    Path file() {
        return file;
    }

    boolean has(String key) {
        return metadata.containsKey(key);
    }

    ModelLoadException error(String key, String problem) {
        return ModelLoadException.at(file, key + ": " + problem);
    }

    String string(String key, String fallback) throws ModelLoadException {
        Object v = metadata.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String)) {
            throw error(key, "expected a string, found " + kind(v));
        }
        return (String) v;
    }

    boolean bool(String key, boolean fallback) throws ModelLoadException {
        Object v = metadata.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean)) {
            throw error(key, "expected a boolean, found " + kind(v));
        }
        return (Boolean) v;
    }

    /** A token id: absent gives the fallback; present must lie in [0, vocabSize). */
    int tokenId(String key, int fallback, int vocabSize) throws ModelLoadException {
        Object v = metadata.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Long)) {
            throw error(key, "expected an integer, found " + kind(v));
        }
        long id = (Long) v;
        if (id < 0 || id >= vocabSize) {
            throw error(key, "token id " + id + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
        }
        return (int) id;
    }

    /** A required array whose every element has the given type. */
    <T> List<T> list(String key, Class<T> type) throws ModelLoadException {
        Object v = metadata.get(key);
        if (v == null) {
            throw error(key, "missing");
        }
        return optionalList(key, type);
    }

    /** An array whose every element has the given type, or null when the key is absent. */
    @SuppressWarnings("unchecked")
    <T> List<T> optionalList(String key, Class<T> type) throws ModelLoadException {
        Object v = metadata.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw error(key, "expected an array, found " + kind(v));
        }
        List<?> list = (List<?>) v;
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (!type.isInstance(e)) {
                throw error(key, "element " + i + " is " + kind(e) + ", expected " + kind(type));
            }
        }
        return (List<T>) list;
    }

    /** An optional array of the same length as the token list. */
    <T> List<T> perToken(String key, Class<T> type, int vocabSize) throws ModelLoadException {
        List<T> list = optionalList(key, type);
        if (list != null && list.size() != vocabSize) {
            throw error(key, list.size() + " entries for " + vocabSize + " tokens");
        }
        return list;
    }

    private static String kind(Object v) {
        return v == null ? "null" : kind(v.getClass());
    }

    private static String kind(Class<?> c) {
        if (c == Long.class) {
            return "an integer";
        }
        if (c == Double.class) {
            return "a float";
        }
        if (List.class.isAssignableFrom(c)) {
            return "an array";
        }
        return "a " + c.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
