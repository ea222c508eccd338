package io.moescope.model.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoadWindowsTest {

    static final List<String> STAT = List.of(
            "expert_distribution_recorder_1764680400.125.pt",
            "expert_distribution_recorder_1764680460.5.pt",
            "expert_distribution_recorder_1764680521.75.pt");

    static ModelShape shape;
    static long[][][] expected; // [window][decoder layer][expert]

    @BeforeAll
    static void fixtures() throws Exception {
        shape = RecordingShape.read(Recordings.file("config.json"));
        JsonNode w = new ObjectMapper()
                .readTree(Recordings.file("windows.expected.json").toFile())
                .get("window_totals");
        expected = new long[w.size()][][];
        for (int i = 0; i < w.size(); i++) {
            expected[i] = Recordings.matrix(w.get(i));
        }
    }

    private static LoadWindows read(int maxWindows, List<String> names) throws Exception {
        LoadWindows windows = new LoadWindows(maxWindows, LoadWindows.DEFAULT_CELLS);
        new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(names.stream().map(Recordings::file).toList(), windows);
        return windows;
    }

    @Test
    void everyStatDumpIsOneWindowWithItsOwnCounts() throws Exception {
        LoadWindows w = read(64, STAT);
        assertEquals(3, w.windows());
        assertEquals(3, w.recorded());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < shape.moeLayerCount(); i++) {
                assertArrayEquals(expected[k][shape.moeLayers()[i]], w.counts(k, i), "window " + k + " layer " + i);
            }
            assertEquals(k, w.firstRecorded(k));
        }
        // the fixture's load drifts from even to one hot expert per layer
        assertTrue(w.stats(0, 2).maxMean() < w.stats(2, 2).maxMean());
        assertEquals(30, w.tokens(2), "5 passes of 6 tokens");
    }

    @Test
    void moreWindowsThanKeptMergeNeighboursInPairs() throws Exception {
        LoadWindows w = read(2, STAT);
        assertEquals(2, w.windows());
        assertEquals(3, w.recorded());
        assertEquals(2, w.coveredBy(0));
        assertEquals(1, w.coveredBy(1));
        assertEquals(2, w.firstRecorded(1));
        int layer = shape.moeLayers()[1];
        long[] sum = new long[shape.routedExperts()];
        for (int e = 0; e < sum.length; e++) {
            sum[e] = expected[0][layer][e] + expected[1][layer][e];
        }
        assertArrayEquals(sum, w.counts(0, 1));
        assertArrayEquals(expected[2][layer], w.counts(1, 1));
    }

    @Test
    void aPerPassDumpHasOneWindowPerForwardPass() throws Exception {
        LoadWindows w = read(64, List.of("sglang_per_pass_0.pt", "sglang_per_pass_1.pt"));
        JsonNode p = Recordings.expected().get("sglang_per_pass_logical");
        assertEquals(p.size(), w.windows());
        for (int k = 0; k < p.size(); k++) {
            assertArrayEquals(Recordings.matrix(p.get(k))[shape.moeLayers()[0]], w.counts(k, 0));
        }
    }

    @Test
    void perTokenRoutingIsNoWindow() throws Exception {
        LoadWindows w = read(64, List.of("sglang_per_token_0.pt", "sglang_per_token_1.pt"));
        assertEquals(0, w.windows());
    }

    @Test
    void keepingFewerThanTwoWindowsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoadWindows(1, 100));
    }
}
