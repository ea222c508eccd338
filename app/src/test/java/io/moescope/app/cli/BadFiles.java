package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/** Makers of bad files for the bad-input catalogue (docs/reliability.md), and its one assertion. */
final class BadFiles {

    private BadFiles() {}

    /** Bytes no text parser accepts: seeded random noise that includes NULs and invalid UTF-8. */
    static byte[] noise(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xC3; // a UTF-8 lead byte followed by a NUL: malformed in every text reading
        b[1] = 0;
        return b;
    }

    static Path random(Path file) throws IOException {
        return Files.write(file, noise(4096, file.getFileName().toString().hashCode()));
    }

    static Path empty(Path file) throws IOException {
        return Files.write(file, new byte[0]);
    }

    /** The same JSON, encoded as UTF-16 with a byte-order mark (what some Windows editors save). */
    static Path utf16(Path file, String text) throws IOException {
        return Files.write(file, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE));
    }

    /** Replaces a file by an empty directory of the same name (a path no one, not even root, can read as a file). */
    static Path directoryInsteadOf(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Files.createDirectories(file);
    }

    /** A copy of one of the engine's fixture model directories. */
    static Path copyModel(Path tmp, String fixture) throws IOException {
        Path dst = Files.createDirectories(tmp.resolve(fixture));
        try (Stream<Path> files = Files.list(CliRun.fixture(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    /** True when the tests run as root, who reads a chmod-000 file anyway. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Exit code 2, exactly one "error: ..." line on stderr containing every fragment, no stack trace, no stdout. */
    static void assertOneErrorLine(CliRun r, String... fragments) {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "exactly one line expected on stderr:\n" + r.err());
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace or class names: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr should contain '" + f + "': " + err);
        }
        assertEquals("", r.out(), "nothing on stdout");
    }

    /** Nothing but {@code expected} in {@code dir}: no temporary or partial output was left behind. */
    static void assertOnly(Path dir, String... expected) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(
                    java.util.Set.of(expected),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "files left in " + dir);
        }
    }
}
