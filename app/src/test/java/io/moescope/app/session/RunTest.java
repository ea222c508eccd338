package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceSink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's text and speed come from the trace's token events and their times, live and replayed alike. */
class RunTest {

    @TempDir
    Path dir;

    private static final ModelShape SHAPE = new ModelShape("olmoe", 1, new int[] {0}, 4, 0, 2, 16);

    /** Two prompt tokens, then four decode tokens 50 ms apart: 3 tokens in 150 ms = 20 tokens/s. */
    private static void generate(TraceSink sink, boolean timed) {
        sink.accept(new SequenceStarted(1, SHAPE));
        for (int p = 0; p < 6; p++) {
            long t = timed ? (p < 2 ? 10_000_000L : 10_000_000L + (p - 2) * 50_000_000L) : TokenEmitted.UNTIMED;
            sink.accept(new TokenEmitted(1, p, p, "t" + p, p < 2 ? Phase.PREFILL : Phase.DECODE, t));
        }
        sink.accept(new SequenceFinished(1, 6, StopReason.MAX_TOKENS));
    }

    @Test
    void speedAndTextComeFromTheTraceLiveAndReplayed() throws Exception {
        Run live = new Run("live", new TraceStore(), null);
        Path file = dir.resolve("run.jsonl");
        try (OutputStream out = Files.newOutputStream(file);
                JsonlTraceWriter writer = new JsonlTraceWriter(out, false)) {
            generate(TraceSink.fanOut(java.util.List.of(live.sink(), writer)), true);
        }
        assertEquals(20.0, live.tokensPerSecond(), 1e-9);
        assertEquals("t2t3t4t5", live.generatedText());
        assertEquals(6, live.positions());
        assertEquals(4, live.decodeTokens());

        Run replayed = new Run("replayed", new TraceStore(), null);
        JsonlTraceReader.read(file, replayed.sink()::accept);
        assertEquals(live.tokensPerSecond(), replayed.tokensPerSecond(), 0);
        assertEquals(live.generatedText(), replayed.generatedText());
        assertEquals(6, replayed.store().view().size());
        assertEquals(StopReason.MAX_TOKENS, replayed.store().view().finishReason());
    }

    @Test
    void aTraceWithoutTimesHasNoSpeed() {
        Run old = new Run("old", new TraceStore(), null);
        generate(old.sink(), false);
        assertEquals(0, old.tokensPerSecond(), 0);
        assertEquals("t2t3t4t5", old.generatedText());
    }
}
