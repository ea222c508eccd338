package io.moescope.model.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The recording fixtures of tools/reference/make_recording_fixtures.py. */
final class Recordings {

    private Recordings() {}

    static Path file(String name) {
        try {
            return Path.of(Recordings.class.getResource("/recording/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sink that hands every event to the consumer. */
    static io.moescope.model.trace.TraceSink sink(java.util.function.Consumer<io.moescope.model.trace.TraceEvent> c) {
        return new io.moescope.model.trace.TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(io.moescope.model.trace.TraceEvent event) {
                c.accept(event);
            }
        };
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(file("expected.json").toFile());
    }

    static long[][] matrix(JsonNode n) {
        long[][] out = new long[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = n.get(i).get(j).asLong();
            }
        }
        return out;
    }
}
