package io.moescope.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The GGUF tokenizer metadata of tokenizers/gguf/*.json.gz (tools/reference/make_gguf_vocab_fixtures.py), turned into
 * the map a GGUF reader returns: integers as Long, floats as Double, arrays as unmodifiable lists.
 */
final class GgufFixtures {

    private GgufFixtures() {}

    static Path file(String name) {
        return TokenizerGoldens.root().resolve("gguf").resolve(name + ".json.gz");
    }

    static Map<String, Object> metadata(String name) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file(name)))) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Object> out = new LinkedHashMap<>();
            root.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object value(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isFloatingPointNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            v.forEach(e -> list.add(value(e)));
            return Collections.unmodifiableList(list);
        }
        throw new IllegalArgumentException("not a GGUF value: " + v);
    }
}
