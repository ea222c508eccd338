package io.moescope.app.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.TraceStore;
import io.moescope.model.recording.ImportProgress;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The window's store fed in columns keeps what it keeps when fed event by event. */
class RecordingRunTest {

    static Path recording(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/recording")
                .resolve(name);
    }

    /** Hides the store's acceptBlock, so blocks reach it as the events they stand for. */
    private static TraceSink eventByEvent(TraceStore store) {
        return new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(TraceEvent event) {
                store.accept(event);
            }
        };
    }

    /** Three sequences of 200 tokens, joined, into a store that holds its minimum of 256 positions. */
    private static TraceStore feed(ModelShape shape, boolean columns) {
        TraceStore store = new TraceStore(1, false).joinSequences();
        OneSequence joined = new OneSequence(columns ? store : eventByEvent(store));
        Random r = new Random(5);
        for (int s = 1; s <= 3; s++) {
            joined.accept(new SequenceStarted(s, shape));
            for (int first = 0; first < 200; first += 50) {
                int[][] experts = new int[shape.moeLayerCount()][50 * shape.topK()];
                for (int[] column : experts) {
                    for (int x = 0; x < column.length; x++) {
                        column[x] = r.nextInt(shape.routedExperts());
                    }
                }
                joined.acceptBlock(new RoutingBlock(
                        s,
                        first,
                        50,
                        shape.moeLayers(),
                        shape.topK(),
                        experts,
                        r.ints(50, 0, 100).toArray(),
                        Phase.PREFILL));
            }
            joined.accept(new SequenceFinished(s, 200, StopReason.RECORDED));
        }
        return store;
    }

    @Test
    void columnsKeepTheSamePositionsAndCountsAsEvents() throws Exception {
        ModelShape shape = RecordingShape.read(recording("config.json"));
        TraceSnapshot a = feed(shape, true).view();
        TraceSnapshot b = feed(shape, false).view();
        assertEquals(256, a.capacity());
        assertEquals(256, a.size());
        assertEquals(b.size(), a.size());
        assertEquals(600 - 256, a.droppedPositions());
        assertEquals(b.droppedPositions(), a.droppedPositions());
        assertEquals(600, a.counts().tokens());
        assertArrayEquals(
                b.counts().byDecoderLayer(shape.layerCount()), a.counts().byDecoderLayer(shape.layerCount()));
        for (int i = 0; i < a.size(); i++) {
            TokenTrace x = a.tokens().get(i);
            TokenTrace y = b.tokens().get(i);
            assertEquals(y.position(), x.position());
            assertEquals(y.tokenId(), x.tokenId());
            assertEquals(y.label(), x.label());
            assertEquals(y.phase(), x.phase());
            for (int l = 0; l < shape.moeLayerCount(); l++) {
                assertArrayEquals(y.chosen(l), x.chosen(l), "position " + x.position() + " layer " + l);
                assertEquals(y.weight(l, 0), x.weight(l, 0));
                assertEquals(y.sharedShare(l), x.sharedShare(l));
                assertEquals(y.routingEntropy(l), x.routingEntropy(l));
                for (int e = 0; e < shape.routedExperts(); e++) {
                    assertEquals(y.score(l, e), x.score(l, e));
                }
            }
        }
    }

    /** SGLang's per-token dump of rank 0 with its config: expert ids only. */
    private static RecordingRun.Imported perTokenRecording() throws Exception {
        return RecordingRun.read(
                List.of(recording("sglang_per_token_0.pt")), recording("config.json"), ImportProgress.NONE);
    }

    /** Makes a run of the deepseek_f32 trace fixture (router scores and FFN outputs) the primary one. */
    private static void showTraceWithScores(io.moescope.app.session.Workspace workspace, String name) throws Exception {
        workspace.primaryProperty().set(new io.moescope.app.session.Run(name, new TraceStore(), null));
        io.moescope.app.TraceFixtures.events("deepseek_f32")
                .forEach(workspace.getPrimary().store()::accept);
    }

    @Test
    void theGateTabSaysARecordingHasNoScores() throws Exception {
        RecordingRun.Imported in = perTokenRecording();
        io.moescope.app.session.Workspace workspace = new io.moescope.app.session.Workspace(Runnable::run);
        io.moescope.app.routing.GateViewModel gate = new io.moescope.app.routing.GateViewModel(workspace);
        assertEquals("", gate.noticeProperty().get());
        workspace.primaryProperty().set(in.run());
        gate.refresh();
        assertEquals(
                io.moescope.app.routing.GateViewModel.NO_SCORES,
                gate.noticeProperty().get());
        assertTrue(!gate.view().tokens().get(0).hasScores());
        assertTrue(gate.view().idsOnly(), "the snapshot says ids only (the dashboard's entropy note)");
        int expert = gate.view().tokens().get(0).chosenExpert(0, 0);
        String tip = gate.describe(0, 0, expert);
        assertTrue(tip.contains("gate probability not recorded") && tip.contains("weight not recorded"), tip);
        showTraceWithScores(workspace, "live");
        gate.refresh();
        assertEquals("", gate.noticeProperty().get(), "a trace with scores");
        assertTrue(!gate.view().idsOnly(), "a trace with scores is not ids only");
    }

    /** The Always-on tab and the Walkthrough say what a recording lacks, as the Gate tab does. */
    @Test
    void theAlwaysOnTabAndTheWalkthroughSayARecordingHasNoScores() throws Exception {
        RecordingRun.Imported in = perTokenRecording();
        io.moescope.app.session.Workspace workspace = new io.moescope.app.session.Workspace(Runnable::run);
        io.moescope.app.routing.SharedViewModel shared = new io.moescope.app.routing.SharedViewModel(workspace);
        try (io.moescope.app.session.EngineService engine = new io.moescope.app.session.EngineService()) {
            io.moescope.app.teach.WalkthroughViewModel walk =
                    new io.moescope.app.teach.WalkthroughViewModel(workspace, engine, () -> null, Runnable::run);
            workspace.primaryProperty().set(in.run());
            shared.refresh();
            assertEquals(
                    io.moescope.app.routing.SharedViewModel.NO_ALWAYS_ON,
                    shared.noticeProperty().get());
            assertEquals(
                    io.moescope.viz.data.HeatmapSnapshot.EMPTY,
                    shared.heatmapProperty().get(),
                    "no MoE-layer shares of 0 that were never measured");
            walk.refresh().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(
                    io.moescope.app.teach.WalkthroughViewModel.NEEDS_SCORES,
                    walk.messageProperty().get());
            assertTrue(walk.stepsProperty().get().isEmpty());
            assertTrue(
                    walk.headerProperty().get().startsWith("Token "),
                    walk.headerProperty().get());
            assertTrue(!walk.busyProperty().get());

            showTraceWithScores(workspace, "trace");
            shared.refresh();
            assertEquals("", shared.noticeProperty().get(), "a trace with scores");
            assertTrue(shared.heatmapProperty().get().rows() > 0);
        }
    }

    @Test
    void aTokenizerBesideTheConfigNamesTheTokensAndIsClosedAfterTheImport(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        java.nio.file.Files.copy(recording("config.json"), tmp.resolve("config.json"));
        java.nio.file.Files.copy(
                Path.of("").toAbsolutePath().resolveSibling("resources/models/tiny-deepseekmoe/tokenizer.json"),
                tmp.resolve("tokenizer.json"));
        RecordingRun.Imported in = RecordingRun.read(
                List.of(recording("sglang_per_token_0.pt")), tmp.resolve("config.json"), ImportProgress.NONE);
        TokenTrace first = in.run().store().view().tokens().get(0);
        assertTrue(!first.label().equals("#" + first.tokenId()), first.label());
    }

    @Test
    void theFixtureOpensWithEveryTokenCounted() throws Exception {
        RecordingRun.Imported in = RecordingRun.read(
                List.of(recording("sglang_per_token_0.pt"), recording("sglang_per_token_1.pt")),
                recording("config.json"),
                ImportProgress.NONE);
        TraceSnapshot v = in.run().store().view();
        assertEquals(in.summary().tokens(), v.size());
        assertEquals(in.summary().tokens(), v.counts().tokens());
        assertEquals(v.size(), in.run().positions());
        assertTrue(v.tokens().get(0).chosenCount(0) == in.shape().topK());
    }
}
