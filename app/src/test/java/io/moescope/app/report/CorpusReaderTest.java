package io.moescope.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking and bad input, with a fake tokenizer: one token per character (code point mod 100). */
class CorpusReaderTest {

    @TempDir
    Path dir;

    private final CorpusReader reader =
            new CorpusReader(s -> s.chars().map(c -> c % 100).toArray(), 100, 4, 1);

    private List<int[]> read(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        List<int[]> chunks = new ArrayList<>();
        reader.read(f, chunks::add);
        return chunks;
    }

    @Test
    void plainTextIsOneStreamCutIntoChunksThatStartWithBos() throws Exception {
        List<int[]> c = read("a.txt", "abcd\nef".getBytes(StandardCharsets.UTF_8)); // a b c d \n e f \n
        assertEquals(3, c.size());
        assertArrayEquals(new int[] {1, 97, 98, 99}, c.get(0));
        assertArrayEquals(new int[] {1, 100 % 100, 10, 101 % 100}, c.get(1));
        assertArrayEquals(new int[] {1, 102 % 100, 10}, c.get(2));
    }

    @Test
    void jsonlRecordsAreSeparateDocuments() throws Exception {
        List<int[]> c =
                read("a.jsonl", "{\"text\":\"ab\"}\n\n{\"text\":\"c\",\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {1, 97, 98}, c.get(0));
        assertArrayEquals(new int[] {1, 99}, c.get(1));
    }

    @Test
    void jsonlWithoutTextNamesTheLine() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> read("b.jsonl", "{\"text\":\"ok\"}\n{\"body\":\"x\"}\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().endsWith("b.jsonl:2: the record has no string field \"text\""), e.getMessage());
    }

    @Test
    void idsAreDocumentsWithoutBosAndAreChecked() throws Exception {
        List<int[]> c = read("a.ids", "5 6 7 8 9\n3,4\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {5, 6, 7, 8}, c.get(0));
        assertArrayEquals(new int[] {9}, c.get(1));
        assertArrayEquals(new int[] {3, 4}, c.get(2));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> read("b.ids", "1 2\n1 200\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("b.ids:2: token id 200 is outside"), e.getMessage());
    }

    @Test
    void invalidUtf8LinesAreSkippedAndCounted() throws Exception {
        byte[] bad = {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'b', '\n'};
        List<int[]> c = read("bad.txt", bad);
        assertArrayEquals(new int[] {1, 97, 10, 98}, c.get(0));
        assertEquals(1, reader.skippedLines());
        assertTrue(reader.warnings().get(0).endsWith("bad.txt:2: not valid UTF-8, line skipped"));
    }

    @Test
    void missingAndEmptyCorpora() throws Exception {
        Files.createFile(dir.resolve("empty.txt"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> CorpusReader.checkFiles(List.of(dir.resolve("nope.txt"))))
                .getMessage()
                .endsWith("nope.txt: corpus file not found"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> CorpusReader.checkFiles(List.of(dir.resolve("empty.txt"))))
                .getMessage()
                .contains("is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read("blank.txt", "\n  \n".getBytes()))
                .getMessage()
                .contains("empty corpus"));
    }
}
