package io.moescope.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory for files a test rewrites thousands of times a second (the fuzz tests write each input as the file the
 * parser reads): in memory (/dev/shm) where the machine has it, else the JVM's temporary directory. On ext4 (this
 * project's build host) truncating and rewriting one small file makes the kernel start writing it back on close (the
 * replace-via-truncate safeguard, {@code auto_da_alloc}): about 4.5 ms of waiting per input against 0.12 ms on tmpfs,
 * which was what bounded the fuzzers' rate (docs/reliability.md). Deleted when the JVM exits normally.
 */
public final class ScratchDir {

    private static final Path SHM = Path.of("/dev/shm");

    private ScratchDir() {}

    /** A new empty directory whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            Path base = Files.isDirectory(SHM) && Files.isWritable(SHM)
                    ? SHM
                    : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = Files.createTempDirectory(base, prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "scratch-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code file}, replacing what was there. */
    public static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a scratch directory left behind holds only the last fuzz input
        }
    }
}
