package io.moescope.app.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a kill leaves of a trace file, cut at any byte: the sound prefix replays, and nothing else is kept. */
class SalvageTest {

    @TempDir
    Path dir;

    @Test
    void aWholeTraceIsKeptWhole() throws Exception {
        Path trace = TraceFixtures.trace("deepseek_f32");
        Salvage salvage = Salvage.scan(trace);
        List<TraceEvent> events = JsonlTraceReader.readAll(trace);
        assertEquals(Files.size(trace), salvage.validBytes());
        assertEquals(tokens(events, null), salvage.positions());
        assertEquals(tokens(events, Phase.DECODE), salvage.generated());
    }

    @Test
    void aTraceCutAtAnyByteSalvagesExactlyItsCompletePositions() throws Exception {
        byte[] whole = Files.readAllBytes(TraceFixtures.trace("deepseek_f32"));
        Path cut = dir.resolve("cut.jsonl");
        Path kept = dir.resolve("kept.jsonl");
        for (int length = 0; length <= whole.length; length += 97) {
            Files.write(cut, Arrays.copyOf(whole, length));
            Salvage salvage = Salvage.scan(cut);
            assertEquals(completeTokenLines(whole, length), salvage.positions(), "cut at " + length);
            if (salvage.isEmpty()) {
                continue; // not offered
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            salvage.copy(cut, out);
            Files.write(kept, out.toByteArray());
            List<TraceEvent> replayed = JsonlTraceReader.readAll(kept); // the prefix is a valid trace
            assertEquals(salvage.positions(), tokens(replayed, null), "cut at " + length);
        }
    }

    @Test
    void thePromptIsItsTokensTexts() throws Exception {
        Path trace = TraceFixtures.trace("deepseek_f32");
        StringBuilder expected = new StringBuilder();
        for (TraceEvent e : JsonlTraceReader.readAll(trace)) {
            if (e instanceof TokenEmitted t && t.phase() == Phase.PREFILL) {
                expected.append(t.text());
            }
        }
        String prompt = Salvage.scan(trace).prompt();
        assertEquals(expected.toString().isBlank() ? prompt : expected.toString(), prompt);
        assertTrue(!prompt.isBlank());
    }

    @Test
    void aFileThatIsNotATraceSalvagesNothing() throws Exception {
        Path junk = dir.resolve("junk.jsonl");
        Files.writeString(junk, "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"decode\"}\n");
        assertTrue(Salvage.scan(junk).isEmpty());
        Files.write(junk, new byte[] {0, 1, 2, (byte) 0xff, '\n', 3});
        assertTrue(Salvage.scan(junk).isEmpty());
        Files.write(junk, new byte[0]);
        assertEquals(0, Salvage.scan(junk).validBytes());
    }

    private static long tokens(List<TraceEvent> events, Phase phase) {
        return events.stream()
                .filter(e -> e instanceof TokenEmitted t && (phase == null || t.phase() == phase))
                .count();
    }

    /** Token lines that end (with their newline) within the first {@code length} bytes. */
    private static int completeTokenLines(byte[] whole, int length) {
        String text = new String(whole, 0, length, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        int count = 0;
        for (String line : (end < 0 ? "" : text.substring(0, end)).split("\n")) {
            if (line.strip().startsWith("{\"type\":\"token\"")) {
                count++;
            }
        }
        return count;
    }
}
