package io.moescope.model.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordingImporterTest {

    static ModelShape shape;
    static JsonNode expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void model() throws Exception {
        shape = RecordingShape.read(Recordings.file("config.json"));
        expected = Recordings.expected();
    }

    /** Counts [decoder layer][expert] of the recordings, through the one accumulator. */
    private static long[][] totals(String... names) throws ModelLoadException {
        RoutingAccumulator acc = accumulator();
        new RecordingImporter(shape, PickleLimits.DEFAULT).run(paths(names), acc);
        return totals(acc);
    }

    private static RoutingAccumulator accumulator() {
        return new RoutingAccumulator(null, DiagnosisOptions.defaults());
    }

    private static long[][] totals(RoutingAccumulator acc) {
        return acc.counts().byDecoderLayer(shape.layerCount());
    }

    private static List<Path> paths(String... names) {
        List<Path> p = new ArrayList<>();
        for (String n : names) {
            p.add(Recordings.file(n));
        }
        return p;
    }

    @Test
    void theConfigMakesLayerZeroDense() {
        assertArrayEquals(new int[] {1, 2, 3}, shape.moeLayers());
        assertEquals(16, shape.routedExperts());
        assertEquals(4, shape.topK());
    }

    @Test
    void statPerPassPerTokenAndCsvOfOneRunAgree() throws Exception {
        long[][] want = Recordings.matrix(expected.get("sglang_logical_totals"));
        assertArrayEquals(want, totals("sglang_stat.pt"), "stat");
        assertArrayEquals(want, totals("sglang_per_pass_0.pt", "sglang_per_pass_1.pt"), "per_pass");
        assertArrayEquals(want, totals("sglang_per_token_0.pt", "sglang_per_token_1.pt"), "per_token");
        assertArrayEquals(want, totals("sglang_counts.csv"), "csv");
        assertTrue(java.util.Arrays.stream(want[1]).sum() > 0);
    }

    @Test
    void perPassSumsRanksPassByPass() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        RecordingImporter.Summary s = new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(paths("sglang_per_pass_0.pt", "sglang_per_pass_1.pt"), Recordings.sink(events::add));
        assertEquals(3, s.countSequences());
        long[][][] perPass = new long[3][][];
        for (int p = 0; p < 3; p++) {
            perPass[p] =
                    Recordings.matrix(expected.get("sglang_per_pass_logical").get(p));
        }
        int seq = -1;
        for (TraceEvent e : events) {
            if (e instanceof io.moescope.model.trace.SequenceStarted) {
                seq++;
            } else if (e instanceof io.moescope.model.trace.ExpertCounts c) {
                assertArrayEquals(perPass[seq][c.layer()], c.counts(), "pass " + seq + " layer " + c.layer());
            }
        }
    }

    @Test
    void perTokenSplitsRequestsDropsPaddingAndKeepsTokenIds() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        RecordingImporter.Summary s = new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(paths("sglang_per_token_0.pt", "sglang_per_token_1.pt"), Recordings.sink(events::add));
        long tokens = 0;
        for (JsonNode rank : expected.get("sglang_tokens_per_rank_pass")) {
            for (JsonNode n : rank) {
                tokens += n.asLong();
            }
        }
        assertEquals(tokens - 1, s.tokens(), "one padded slot dropped");
        // rank 0: [5, 3] + decode + [3]; rank 1: [4] + decode + decode
        assertEquals(7, s.sequences());
        RoutingDecision d = events.stream()
                .filter(e -> e instanceof RoutingDecision)
                .map(e -> (RoutingDecision) e)
                .findFirst()
                .orElseThrow();
        assertFalse(d.hasScores());
        assertTrue(Float.isNaN(d.weights()[0]));
    }

    @Test
    void engineResponsesImportEveryRow() throws Exception {
        long[][] t = totals("sglang_r3.json", "vllm_completion.json", "vllm_generate.json", "vllm_routed_experts.npy");
        assertArrayEquals(Recordings.matrix(expected.get("responses_logical_totals")), t);
    }

    @Test
    void atlasJsonAndJsonlAreTheSameTracesWithWeights() throws Exception {
        List<TraceEvent> a = new ArrayList<>();
        List<TraceEvent> b = new ArrayList<>();
        new RecordingImporter(shape, PickleLimits.DEFAULT).run(paths("atlas.jsonl"), Recordings.sink(a::add));
        new RecordingImporter(shape, PickleLimits.DEFAULT).run(paths("atlas.json"), Recordings.sink(b::add));
        assertEquals(decisions(a), decisions(b));
        assertEquals(5 * 3, a.stream().filter(e -> e instanceof RoutingDecision).count());
        RoutingDecision d = (RoutingDecision)
                a.stream().filter(e -> e instanceof RoutingDecision).findFirst().get();
        assertFalse(Float.isNaN(d.weights()[0]));
    }

    @Test
    void atlasExportRoundTrips() throws Exception {
        for (String[] source : new String[][] {{"atlas.jsonl"}, {"sglang_per_token_0.pt", "sglang_per_token_1.pt"}}) {
            List<TraceEvent> first = new ArrayList<>();
            new RecordingImporter(shape, PickleLimits.DEFAULT).run(paths(source), Recordings.sink(first::add));
            Path atlas = tmp.resolve("export.jsonl");
            try (OutputStream out = Files.newOutputStream(atlas);
                    AtlasFormat.Writer w = new AtlasFormat.Writer(out, "fixture/deepseek-tiny")) {
                first.forEach(w::accept);
            }
            List<TraceEvent> again = new ArrayList<>();
            new RecordingImporter(shape, PickleLimits.DEFAULT).run(List.of(atlas), Recordings.sink(again::add));
            assertEquals(decisions(first), decisions(again), String.join(",", source));
        }
    }

    @Test
    void countsRoundTripThroughSglangLogicalCountAndTheTraceFile() throws Exception {
        long[][] stat = totals("sglang_stat.pt");
        Path json = tmp.resolve("logical_count.json");
        try (OutputStream out = Files.newOutputStream(json)) {
            InitExpertLocation.writeLogicalCount(stat, out);
        }
        RoutingAccumulator back = accumulator();
        new RecordingImporter(shape, PickleLimits.DEFAULT).run(List.of(json), Recordings.sink(back::accept));
        assertArrayEquals(stat, totals(back));

        Path trace = tmp.resolve("trace.jsonl");
        try (OutputStream out = Files.newOutputStream(trace);
                JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
            new RecordingImporter(shape, PickleLimits.DEFAULT)
                    .run(paths("sglang_stat.pt", "sglang_per_token_0.pt", "sglang_per_token_1.pt"), w);
        }
        RoutingAccumulator acc = accumulator();
        JsonlTraceReader.read(trace, acc::accept);
        long[][] twice = totals("sglang_stat.pt");
        for (long[] row : twice) {
            for (int e = 0; e < row.length; e++) {
                row[e] *= 2;
            }
        }
        assertArrayEquals(twice, totals(acc));
        List<LayerReport> reports = acc.layerReports();
        assertEquals(3, reports.size());
        for (LayerReport r : reports) {
            long sum = java.util.Arrays.stream(twice[r.layer()]).sum();
            assertEquals(sum / 4, r.tokens());
            assertTrue(Double.isNaN(r.losses().switchAux()), "no scores, no score-based loss");
            assertTrue(r.load().maxMean() >= 1.0);
        }
    }

    @Test
    void theEplbPlanIsAValidPlacementForSglang() throws Exception {
        long[][] totals = totals("sglang_stat.pt");
        int[][] map = InitExpertLocation.plan(totals, shape, 4, 1, 2);
        assertEquals(4, map.length);
        for (int layer = 1; layer < 4; layer++) {
            assertEquals(20, map[layer].length);
            boolean[] seen = new boolean[16];
            for (int e : map[layer]) {
                seen[e] = true;
            }
            for (boolean b : seen) {
                assertTrue(b, "every expert keeps a slot");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitExpertLocation.writePhysicalToLogical(map, out);
        assertTrue(out.toString().startsWith("{\"physical_to_logical_map\":[[0,1,2,"));
        // handed back to the importer it is recognised, not mistaken for counts
        Path placement = tmp.resolve("placement.json");
        Files.write(placement, out.toByteArray());
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> new RecordingImporter(shape, PickleLimits.DEFAULT)
                        .run(List.of(placement), Recordings.sink(x -> {})));
        assertTrue(e.getMessage().contains("a placement"));
    }

    @Test
    void progressRunsToOneAndACancelStopsBetweenFiles() throws Exception {
        List<Double> seen = new ArrayList<>();
        ImportProgress watch = new ImportProgress() {
            @Override
            public void update(double fraction, long tokens) {
                seen.add(fraction);
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
        new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(paths("sglang_per_token_0.pt", "sglang_per_token_1.pt"), Recordings.sink(x -> {}), watch);
        assertEquals(0.0, seen.get(0));
        assertEquals(1.0, seen.get(seen.size() - 1));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "never goes back: " + seen);
        }
        assertTrue(seen.stream().anyMatch(f -> f > 0 && f < 0.5), "inside the first file, by record: " + seen);

        List<TraceEvent> events = new ArrayList<>();
        boolean[] stop = {false};
        ImportProgress cancelAfterFirst = new ImportProgress() {
            @Override
            public void update(double fraction, long tokens) {
                stop[0] |= fraction >= 0.5;
            }

            @Override
            public boolean cancelled() {
                return stop[0];
            }
        };
        assertThrows(
                java.util.concurrent.CancellationException.class,
                () -> new RecordingImporter(shape, PickleLimits.DEFAULT)
                        .run(
                                paths("sglang_per_token_0.pt", "sglang_per_token_1.pt"),
                                Recordings.sink(events::add),
                                cancelAfterFirst));
        long tokens = events.stream()
                .filter(x -> x instanceof io.moescope.model.trace.TokenEmitted)
                .count();
        assertEquals(sum(expected.get("sglang_tokens_per_rank_pass").get(0)), tokens, "the first rank file only");
    }

    private static long sum(JsonNode row) {
        long s = 0;
        for (JsonNode x : row) {
            s += x.asLong();
        }
        return s;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sglang_stat_6_layers.pt | covers 6 layers but the model config has 4",
                "bad_expert.csv | expert id 16 in layer 2 is outside [0, 16)",
                "bad_expert_r3.json | expert id 20 in layer 2 is outside [0, 16)",
                "reject_os_system.pt | refused global posix.system",
                "not_torch.zip | not a torch.save file",
                "truncated.npy | truncated or padded .npy data",
                "config.json | JSON without routed experts",
            })
    void badRecordingsFailWithOneLineAndWriteNothing(String name, String problem) {
        List<TraceEvent> events = new ArrayList<>();
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> new RecordingImporter(shape, PickleLimits.DEFAULT)
                        .run(paths(name), Recordings.sink(events::add)));
        assertTrue(e.getMessage().startsWith(Recordings.file(name).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        if (!name.endsWith(".json")) {
            assertTrue(events.stream().noneMatch(x -> x instanceof RoutingDecision), "validated before any event");
        }
    }

    private static List<String> decisions(List<TraceEvent> events) {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof RoutingDecision d) {
                out.add(d.sequenceId() + "/" + d.position() + "/" + d.layer() + java.util.Arrays.toString(d.experts())
                        + java.util.Arrays.toString(d.weights()));
            }
        }
        return out;
    }
}
