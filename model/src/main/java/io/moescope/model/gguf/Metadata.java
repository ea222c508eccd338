package io.moescope.model.gguf;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Typed reads of a GGUF metadata map, with one-line errors for missing keys and wrong types. */
final class Metadata {

    private final Path file;
    private final Map<String, Object> map;

    Metadata(Path file, Map<String, Object> map) {
        this.file = file;
        this.map = map;
    }

    private Object get(String key) throws ModelLoadException {
        Object v = map.get(key);
        if (v == null) {
            throw ModelLoadException.at(file, "metadata key '" + key + "' missing");
        }
        return v;
    }

    private ModelLoadException wrongType(String key, Object value, String expected) {
        return ModelLoadException.at(file, "metadata key '" + key + "' is " + kind(value) + ", expected " + expected);
    }

    /** "a string", "an integer", ... for messages. */
    static String kind(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long) {
            return "an integer";
        }
        if (value instanceof Double) {
            return "a float";
        }
        if (value instanceof Boolean) {
            return "a bool";
        }
        return "an array";
    }

    String string(String key) throws ModelLoadException {
        Object v = get(key);
        if (!(v instanceof String)) {
            throw wrongType(key, v, "a string");
        }
        return (String) v;
    }

    long longValue(String key) throws ModelLoadException {
        Object v = get(key);
        if (!(v instanceof Long)) {
            throw wrongType(key, v, "an integer");
        }
        return (Long) v;
    }

    int intValue(String key) throws ModelLoadException {
        return toInt(key, longValue(key));
    }

    private int toInt(String key, long v) throws ModelLoadException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ModelLoadException.at(file, "metadata key '" + key + "' is " + v + ", outside the int range");
        }
        return (int) v;
    }

    double doubleValue(String key) throws ModelLoadException {
        Object v = get(key);
        if (v instanceof Double) {
            return (Double) v;
        }
        if (v instanceof Long) {
            return (Long) v;
        }
        throw wrongType(key, v, "a float");
    }

    boolean bool(String key) throws ModelLoadException {
        Object v = get(key);
        if (!(v instanceof Boolean)) {
            throw wrongType(key, v, "a bool");
        }
        return (Boolean) v;
    }

    @SuppressWarnings("unchecked")
    List<Object> array(String key) throws ModelLoadException {
        Object v = get(key);
        if (!(v instanceof List)) {
            throw wrongType(key, v, "an array");
        }
        return (List<Object>) v;
    }

    List<String> stringArray(String key) throws ModelLoadException {
        List<Object> list = array(key);
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String)) {
                throw ModelLoadException.at(
                        file, "metadata key '" + key + "' is an array of " + plural(o) + ", expected strings");
            }
            out.add((String) o);
        }
        return List.copyOf(out);
    }

    int[] intPerLayer(String key, int length) throws ModelLoadException {
        Object v = get(key);
        int[] out = new int[length];
        if (v instanceof Long) {
            Arrays.fill(out, toInt(key, (Long) v));
            return out;
        }
        if (!(v instanceof List)) {
            throw wrongType(key, v, "an integer or an array of integers");
        }
        List<?> list = (List<?>) v;
        if (list.size() != length) {
            throw ModelLoadException.at(
                    file, "metadata key '" + key + "' has " + list.size() + " values, expected " + length);
        }
        for (int i = 0; i < length; i++) {
            if (!(list.get(i) instanceof Long)) {
                throw ModelLoadException.at(
                        file,
                        "metadata key '" + key + "' is an array of " + plural(list.get(i)) + ", expected integers");
            }
            out[i] = toInt(key, (Long) list.get(i));
        }
        return out;
    }

    private static String plural(Object value) {
        String k = kind(value);
        return k.substring(k.indexOf(' ') + 1) + "s";
    }
}
