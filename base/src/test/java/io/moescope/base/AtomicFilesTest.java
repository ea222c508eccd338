package io.moescope.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic-file helper: whole files and directories or none, the old one kept when a write fails. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writesAndReplacesAFileAndLeavesNoTemporary() throws IOException {
        Path f = tmp.resolve("a.json");
        AtomicFiles.write(f, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(f, out -> {
            out.write("two".getBytes(StandardCharsets.UTF_8));
            out.close(); // as Jackson's writeValue does
        });
        assertEquals("two", Files.readString(f));
        assertEquals(List.of(f), list(tmp));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path f = tmp.resolve("a.bin");
        Files.writeString(f, "old");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write(new byte[100_000]);
                    throw new IllegalStateException("disk on fire");
                }));
        assertEquals("disk on fire", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), list(tmp));
        Exception checked = assertThrows(
                Exception.class,
                () -> AtomicFiles.<Exception>write(f, out -> {
                    throw new Exception("a checked exception of the body's own");
                }));
        assertEquals("a checked exception of the body's own", checked.getMessage());
        assertEquals(List.of(f), list(tmp));
    }

    @Test
    void refusesAMissingFolderInOneLine() {
        NoSuchFileException e = assertThrows(
                NoSuchFileException.class, () -> AtomicFiles.write(tmp.resolve("no/such/x.txt"), out -> out.write(1)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aWriteThatFailsMidStreamLeavesTheOldFileWhole() throws IOException {
        Path f = tmp.resolve("new/folder/chart.svg");
        AtomicFiles.writeCreatingFolders(f, out -> out.write("<svg>old</svg>".getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFiles.writeCreatingFolders(f, out -> {
                    out.write("<svg>half a new ".getBytes(StandardCharsets.UTF_8));
                    out.flush(); // the half is on disk, in the temporary
                    throw new IOException("No space left on device");
                }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("<svg>old</svg>", Files.readString(f));
        assertEquals(List.of(f), list(f.getParent()), "no temporary left beside it");
    }

    @Test
    void writesAndReplacesADirectoryOnlyWhenComplete() throws IOException {
        Path d = tmp.resolve("deep/model");
        AtomicFiles.writeDirectory(d, dir -> Files.writeString(dir.resolve("config.json"), "1"));
        assertEquals("1", Files.readString(d.resolve("config.json")));
        assertThrows(
                IOException.class,
                () -> AtomicFiles.writeDirectory(d, dir -> {
                    Files.writeString(dir.resolve("config.json"), "broken");
                    throw new IOException("interrupted");
                }));
        assertEquals("1", Files.readString(d.resolve("config.json")), "the old directory is untouched");
        AtomicFiles.writeDirectory(d, dir -> Files.writeString(dir.resolve("other.json"), "2"));
        assertFalse(Files.exists(d.resolve("config.json")), "replaced as a whole");
        assertEquals("2", Files.readString(d.resolve("other.json")));
        assertEquals(List.of(d), list(d.getParent()), "no temporary or old directory left");
        AtomicFiles.deleteTree(d);
        assertFalse(Files.exists(d));
        AtomicFiles.deleteTree(d);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
