package io.moescope.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** Edited copies of the MLA fixtures (config keys changed, tensors renamed) for pitfall and bad-input tests. */
public final class MlaFixtures {

    private MlaFixtures() {}

    /** Copies fixture {@code name} to {@code dst} and sets the given config.json keys (a null value removes a key). */
    public static Path copy(Path dst, String name, Map<String, ?> edits) throws IOException {
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(Fixtures.dir(name))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(dst.resolve("config.json").toFile());
        for (Map.Entry<String, ?> e : edits.entrySet()) {
            if (e.getValue() == null) {
                cfg.remove(e.getKey());
            } else {
                cfg.set(e.getKey(), json.valueToTree(e.getValue()));
            }
        }
        json.writerWithDefaultPrettyPrinter()
                .writeValue(dst.resolve("config.json").toFile(), cfg);
        return dst;
    }

    public static ModelConfig config(Path dst, String name, Map<String, ?> edits)
            throws IOException, ModelLoadException {
        return ConfigParser.read(copy(dst, name, edits));
    }

    /**
     * Renames a tensor inside model.safetensors by rewriting its header key with one of the same length (so offsets
     * and the header length stay valid), e.g. "..._scale_inv" → "..._scale_inX": the tensor is then missing.
     */
    public static void renameTensor(Path dir, String from, String to) throws IOException {
        if (from.length() != to.length()) {
            throw new IllegalArgumentException("names must have the same length");
        }
        Path f = dir.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(f);
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (b[i] & 0xFF);
        }
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        String key = "\"" + from + "\"";
        if (!header.contains(key)) {
            throw new IllegalArgumentException(from + " not in the header");
        }
        byte[] h = header.replace(key, "\"" + to + "\"").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(h, 0, b, 8, h.length);
        Files.write(f, b);
    }
}
