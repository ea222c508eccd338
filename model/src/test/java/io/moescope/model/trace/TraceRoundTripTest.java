package io.moescope.model.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.Fixtures;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSONL write → read gives the same events; events are position-major; disabled sinks cost nothing. */
class TraceRoundTripTest {

    private static final int[] PROMPT = {73, 71, 6, 78, 103};
    private static MoeModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws Exception {
        model = MoeModel.open(Fixtures.dir("qwen2_moe_f32"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationResult generate(TraceSink sink) {
        GenerationRequest req = new GenerationRequest(
                PROMPT, 4, new SamplingParams(0.9, 0, 1.0, 5), io.moescope.model.api.Intervention.NONE, false, false);
        return new Generator(model).generate(req, sink, TokenListener.NONE);
    }

    @Test
    void writeThenReadGivesEqualEvents() throws Exception {
        TraceRecorder rec = new TraceRecorder(true);
        Path file = tmp.resolve("t.jsonl");
        try (OutputStream out = Files.newOutputStream(file);
                JsonlTraceWriter w = new JsonlTraceWriter(out, true)) {
            generate(TraceSink.fanOut(List.of(rec, w)));
        }
        List<TraceEvent> written = rec.events();
        List<TraceEvent> read = JsonlTraceReader.readAll(file);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            assertEquals(canonical(written.get(i)), canonical(read.get(i)), "event " + i);
        }
        JsonNode header = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
        assertEquals("moescope-trace", header.get("format").asText());
        assertEquals(JsonlTraceWriter.VERSION, header.get("version").asInt());
        assertEquals("qwen2_moe", header.get("model_type").asText());
        assertEquals(model.shape(), ((SequenceStarted) read.get(0)).shape());
    }

    @Test
    void routingComesBeforeItsTokenPositionMajor() {
        TraceRecorder rec = new TraceRecorder(true);
        GenerationResult r = generate(rec);
        List<TraceEvent> ev = rec.events();
        assertTrue(ev.get(0) instanceof SequenceStarted);
        assertTrue(ev.get(ev.size() - 1) instanceof SequenceFinished);
        int i = 1;
        for (int p = 0; p < r.ids().length; p++) {
            boolean fed = p < r.ids().length - 1; // the last generated token is never fed back
            for (int layer = 0; fed && layer < model.config().numLayers(); layer++) { // dense layers: a dense line
                TraceEvent e = ev.get(i++);
                if (model.config().isMoeLayer(layer)) {
                    assertEquals(p, ((RoutingDecision) e).position());
                    assertEquals(layer, ((RoutingDecision) e).layer());
                } else {
                    assertEquals(p, ((DenseLayerOutput) e).position());
                    assertEquals(layer, ((DenseLayerOutput) e).layer());
                }
            }
            TokenEmitted t = (TokenEmitted) ev.get(i++);
            assertEquals(p, t.position());
            assertEquals(r.ids()[p], t.tokenId());
            assertEquals(p < PROMPT.length ? Phase.PREFILL : Phase.DECODE, t.phase());
            if (fed) {
                assertEquals(p, ((LogitsRecorded) ev.get(i++)).position());
            }
        }
        assertEquals(ev.size() - 1, i);
        assertEquals(r.ids().length, ((SequenceFinished) ev.get(i)).positions());
    }

    @Test
    void disabledSinkSeesNothingAndChangesNothing() {
        List<TraceEvent> seen = new ArrayList<>();
        TraceSink off = new TraceSink() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public void accept(TraceEvent event) {
                seen.add(event);
            }
        };
        GenerationResult quiet = generate(off);
        GenerationResult traced = generate(new TraceRecorder(true));
        assertEquals(List.of(), seen);
        assertArrayEquals(traced.ids(), quiet.ids());
        assertEquals(traced.stopReason(), quiet.stopReason());
        assertArrayEquals(traced.lastLogits(), quiet.lastLogits(), 0f);
    }

    @Test
    void fanOutForwardsToEveryEnabledSink() {
        TraceRecorder a = new TraceRecorder(false);
        TraceRecorder b = new TraceRecorder(true);
        assertSame(TraceSink.DISABLED, TraceSink.fanOut(List.of()));
        assertSame(TraceSink.DISABLED, TraceSink.fanOut(List.of(TraceSink.DISABLED)));
        assertSame(a, TraceSink.fanOut(List.of(TraceSink.DISABLED, a)));
        TraceSink both = TraceSink.fanOut(List.of(a, TraceSink.DISABLED, b));
        assertTrue(both.enabled());
        assertTrue(both.wantsLogits(), "any sink wanting logits gets them");
        assertEquals(
                false, TraceSink.fanOut(List.of(a, new TraceRecorder(false))).wantsLogits());
        generate(both);
        assertEquals(b.events().size(), a.events().size());
        assertTrue(a.events().size() > 10);
    }

    @Test
    void readerRejectsLinesWithoutHeaderAndUnknownVersions() throws Exception {
        Path noHeader = tmp.resolve("a.jsonl");
        Files.writeString(
                noHeader, "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"\",\"phase\":\"prefill\"}\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(noHeader));
        assertTrue(e.getMessage().contains("a.jsonl:1") && e.getMessage().contains("header"), e.getMessage());
        Path v3 = tmp.resolve("b.jsonl");
        Files.writeString(v3, "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":99}\n");
        e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(v3));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void expertGroupsTravelInTheHeaderAndOldTracesWithoutThemReadAsOneGroup() throws Exception {
        String head = "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":1,\"model_type\":\"deepseek_v3\","
                + "\"num_layers\":2,\"moe_layers\":[1],\"routed_experts\":16,\"shared_experts\":1,\"top_k\":4,"
                + "\"vocab_size\":128";
        Path old = Files.writeString(tmp.resolve("old.jsonl"), head + "}\n");
        assertEquals(
                1,
                ((SequenceStarted) JsonlTraceReader.readAll(old).get(0)).shape().expertGroups());
        Path grouped = Files.writeString(tmp.resolve("new.jsonl"), head + ",\"expert_groups\":4}\n");
        ModelShape shape = ((SequenceStarted) JsonlTraceReader.readAll(grouped).get(0)).shape();
        assertEquals(4, shape.expertGroups());

        Path again = tmp.resolve("again.jsonl");
        try (JsonlTraceWriter w = new JsonlTraceWriter(Files.newOutputStream(again), false)) {
            w.accept(new SequenceStarted(1, shape));
            w.accept(new SequenceFinished(1, 0, StopReason.PREFILL_ONLY));
        }
        assertEquals(
                4,
                new ObjectMapper()
                        .readTree(Files.readAllLines(again).get(0))
                        .get("expert_groups")
                        .asInt());
        assertEquals(shape, ((SequenceStarted) JsonlTraceReader.readAll(again).get(0)).shape());

        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), head + ",\"expert_groups\":3}\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(bad));
        assertTrue(
                e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("3 equal expert groups"),
                e.getMessage());
    }

    @Test
    void tokensCarryTheirTimeAndVersionOneTracesWithoutItStillRead() throws Exception {
        Path file = tmp.resolve("timed.jsonl");
        try (OutputStream out = Files.newOutputStream(file);
                JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
            generate(w);
        }
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).contains("\"version\":" + JsonlTraceWriter.VERSION), lines.get(0));
        List<TokenEmitted> tokens = JsonlTraceReader.readAll(file).stream()
                .filter(TokenEmitted.class::isInstance)
                .map(TokenEmitted.class::cast)
                .toList();
        long previous = 0;
        for (TokenEmitted t : tokens) {
            assertTrue(t.timed() && t.elapsedNanos() >= previous, "time moves forward: " + t);
            previous = t.elapsedNanos();
        }
        SequenceFinished end = (SequenceFinished) JsonlTraceReader.readAll(file)
                .get(JsonlTraceReader.readAll(file).size() - 1);
        assertEquals(StopReason.MAX_TOKENS, end.reason());
        assertTrue(lines.get(lines.size() - 1).contains("\"reason\":\"max_tokens\""), "the wire keeps the string");

        Path old = Files.writeString(
                tmp.resolve("v1.jsonl"),
                String.join(
                                "\n",
                                "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":1,\"model_type\":\"olmoe\","
                                        + "\"num_layers\":1,\"moe_layers\":[0],\"routed_experts\":2,\"shared_experts\":0,"
                                        + "\"top_k\":1,\"vocab_size\":4}",
                                "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"prefill\"}",
                                "{\"type\":\"end\",\"positions\":1,\"reason\":\"prefill_only\"}")
                        + "\n");
        List<TraceEvent> replayed = JsonlTraceReader.readAll(old);
        assertEquals(TokenEmitted.UNTIMED, ((TokenEmitted) replayed.get(1)).elapsedNanos());
        assertEquals(StopReason.PREFILL_ONLY, ((SequenceFinished) replayed.get(2)).reason());

        Path badReason =
                Files.writeString(tmp.resolve("r.jsonl"), Files.readString(old).replace("prefill_only", "x"));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(badReason));
        assertTrue(
                e.getMessage().contains("r.jsonl:3") && e.getMessage().contains("unknown stop reason 'x'"),
                e.getMessage());
    }

    @Test
    void routingDecisionsCannotBeChangedThroughTheirArrays() {
        float[] scores = {0.25f, 0.75f};
        int[] experts = {1};
        RoutingDecision d = new RoutingDecision(
                1, 0, 0, new float[2], scores, null, null, experts, new float[] {1f}, 1f, 0f, Float.NaN);
        scores[0] = 9; // the engine reuses its buffers
        experts[0] = 0;
        d.scores()[1] = 9; // a consumer scribbles on what it got
        d.experts()[0] = 7;
        assertEquals(0.25f, d.score(0));
        assertEquals(0.75f, d.scores()[1]);
        assertEquals(1, d.expert(0));
        assertEquals(
                new RoutingDecision(
                        1,
                        0,
                        0,
                        new float[2],
                        new float[] {0.25f, 0.75f},
                        null,
                        null,
                        new int[] {1},
                        new float[] {1f},
                        1f,
                        0f,
                        Float.NaN),
                d);
    }

    @Test
    void readWhileStopsWhenTheSinkSaysSo() throws Exception {
        Path file = tmp.resolve("t.jsonl");
        try (OutputStream out = Files.newOutputStream(file);
                JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
            generate(w);
        }
        List<TraceEvent> seen = new ArrayList<>();
        assertEquals(false, JsonlTraceReader.readWhile(file, e -> seen.add(e) && !(e instanceof TokenEmitted)));
        assertTrue(seen.get(seen.size() - 1) instanceof TokenEmitted);
        assertEquals(
                1 + model.shape().layerCount() + 1,
                seen.size(),
                "header, one position's routing and dense lines, its token");
        assertEquals(true, JsonlTraceReader.readWhile(file, e -> true));
    }

    /** Events as comparable text (records compare arrays by reference); sequence ids are renumbered by the reader. */
    private static String canonical(TraceEvent e) {
        if (e instanceof RoutingDecision r) {
            return "routing " + r.position() + " " + r.layer() + java.util.Arrays.toString(r.routerLogits())
                    + java.util.Arrays.toString(r.scores()) + java.util.Arrays.toString(r.selectionScores())
                    + java.util.Arrays.toString(r.keptGroups()) + java.util.Arrays.toString(r.experts())
                    + java.util.Arrays.toString(r.weights()) + r.routedNorm() + " " + r.sharedNorm() + " "
                    + r.sharedGate();
        }
        if (e instanceof LogitsRecorded l) {
            return "logits " + l.position() + java.util.Arrays.toString(l.values());
        }
        if (e instanceof TokenEmitted t) {
            return "token " + t.position() + " " + t.tokenId() + " [" + t.text() + "] " + t.phase();
        }
        if (e instanceof DenseLayerOutput d) {
            return "dense " + d.position() + " " + d.layer() + " " + d.norm();
        }
        if (e instanceof SequenceStarted s) {
            return "start " + s.shape();
        }
        SequenceFinished f = (SequenceFinished) e;
        return "end " + f.positions() + " " + f.reason();
    }
}
