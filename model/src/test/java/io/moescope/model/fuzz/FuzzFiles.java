package io.moescope.model.fuzz;

import io.moescope.testkit.ErrorMessages;
import io.moescope.testkit.ScratchDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every parser fuzz test shares: the fuzz input goes to a file (in memory, {@link ScratchDir}) as the file the parser reads (the parsers take
 * paths, as the app does), and a rejection must be the clear one-line error naming that file — anything else
 * (another exception type, a stack-trace-sized message, an error that does not say which file) is a finding.
 */
final class FuzzFiles {

    private FuzzFiles() {}

    /** Writes {@code bytes} to {@code file}, replacing what the previous execution left there. */
    static void write(Path file, byte[] bytes) {
        ScratchDir.write(file, bytes);
    }

    private static final AtomicLong generation = new AtomicLong();
    private static final Map<Path, Path> lastWritten = new ConcurrentHashMap<>();

    /**
     * Writes {@code bytes} to a new file in {@code dir} named after {@code name} and deletes the one the previous call
     * wrote there, for parsers that memory-map what they read (GGUF). Rewriting one file would truncate it while the
     * mappings of earlier executions are still alive (a mapped buffer is unmapped only when collected), and the kernel
     * walks every live mapping of a file on truncation: with thousands pending, {@code open(2)} dominated the GGUF
     * targets (docs/reliability.md). A deleted file's pages go when its last mapping does.
     */
    static Path writeFresh(Path dir, String name, byte[] bytes) {
        int dot = name.lastIndexOf('.');
        Path file = dir.resolve(name.substring(0, dot) + "-" + generation.incrementAndGet() + name.substring(dot));
        ScratchDir.write(file, bytes);
        Path previous = lastWritten.put(dir.resolve(name), file);
        if (previous != null) {
            try {
                Files.deleteIfExists(previous);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /**
     * The rejection of {@code file} was a user-facing error: one line (no line terminator of any kind, so text quoted
     * from the file cannot break it either) that starts with the file's path.
     */
    static void assertCleanRejection(Exception rejection, Path file) {
        ErrorMessages.assertNamesFile(rejection.getMessage(), file.toString());
    }
}
