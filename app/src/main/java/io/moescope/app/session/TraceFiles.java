package io.moescope.app.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each generation's JSONL trace is written as it runs, and what becomes of that file once its run is done
 * with. The window keeps them in a recovery folder that outlives a crash ({@code app.recovery}); the command line
 * and the tests use {@link #temporary()}. Implementations delete only files they created themselves.
 */
public interface TraceFiles {

    /** A new, empty file for the run's trace. Inference thread. */
    Path create(Run run) throws IOException;

    /** The run no longer needs the file (it was saved elsewhere, or left the window): delete it if it is ours. */
    void release(Path file);

    /** Files in the temporary folder, deleted when released or, at the latest, when the JVM exits normally. */
    static TraceFiles temporary() {
        Set<Path> created = ConcurrentHashMap.newKeySet();
        return new TraceFiles() {
            @Override
            public Path create(Run run) throws IOException {
                Path file = Files.createTempFile("moescope-run-", ".jsonl");
                file.toFile().deleteOnExit();
                created.add(file);
                return file;
            }

            @Override
            public void release(Path file) {
                if (file != null && created.remove(file)) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // deleteOnExit still has it
                    }
                }
            }
        };
    }
}
