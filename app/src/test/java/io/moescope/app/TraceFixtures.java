package io.moescope.app;

import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.TraceEvent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Recorded traces (app/src/test/resources/traces) and the engine's fixture models. */
public final class TraceFixtures {

    private TraceFixtures() {}

    public static Path trace(String name) {
        try {
            return Path.of(TraceFixtures.class
                    .getResource("/traces/" + name + ".jsonl")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<TraceEvent> events(String name) throws Exception {
        return JsonlTraceReader.readAll(trace(name));
    }

    /** A fixture model directory of the engine module (tests run with app/ as the working directory). */
    public static Path fixtureModel(String name) {
        Path dir = Path.of("..", "model", "src", "test", "resources", "fixtures", name)
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixture model missing: " + dir);
        }
        return dir;
    }
}
