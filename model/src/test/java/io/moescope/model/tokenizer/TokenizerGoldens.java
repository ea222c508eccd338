package io.moescope.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tokenizer goldens under src/test/resources/tokenizers (made by tools/reference/make_tokenizer_goldens.py). */
final class TokenizerGoldens {

    private TokenizerGoldens() {}

    /** Loaded tokenizers, shared by the test classes of this JVM (loading one takes seconds). */
    private static final Map<String, HfTokenizer> LOADED = new ConcurrentHashMap<>();

    static HfTokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return HfTokenizer.load(dir(n));
            } catch (ModelLoadException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    static Path root() {
        try {
            return Path.of(TokenizerGoldens.class.getResource("/tokenizers").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory of one tokenizer (holds tokenizer.json.gz). */
    static Path dir(String name) {
        return root().resolve(name);
    }

    static List<JsonNode> records(String file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(root().resolve(file).toFile()).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
