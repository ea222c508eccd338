package io.moescope.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The reference fixtures under src/test/resources/fixtures (made by tools/reference/). */
public final class Fixtures {

    private Fixtures() {}

    public static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path dir(String name) {
        return root().resolve(name);
    }

    /** Names of every fixture directory that has an expected.json. */
    public static Stream<String> names() {
        try (Stream<Path> s = Files.list(root())) {
            List<String> names = s.filter(p -> Files.isRegularFile(p.resolve("expected.json")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode expected(String name) {
        try {
            return new ObjectMapper()
                    .readTree(dir(name).resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    public static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    /** max_v |got[v] − want[v]| / max_v |want[v]|: the error of one logits row relative to its largest value. */
    public static double relativeError(float[] got, float[] want) {
        if (got.length != want.length) {
            throw new AssertionError(got.length + " values where the reference has " + want.length);
        }
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double max = 0;
        for (int v = 0; v < want.length; v++) {
            max = Math.max(max, Math.abs(got[v] - want[v]) / scale);
        }
        return max;
    }
}
