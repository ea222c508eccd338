package io.moescope.model.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The columnar path of an imported recording gives what its events one by one give. */
class RoutingBlockTest {

    private static ModelShape shape;

    @BeforeAll
    static void readShape() throws Exception {
        shape = RecordingShape.read(Recordings.file("config.json"));
    }

    /** Random blocks (repeated ids included) of three sequences; the middle one wraps the 1000-token window. */
    private static List<RoutingBlock> blocks(long seed) {
        Random r = new Random(seed);
        List<RoutingBlock> out = new ArrayList<>();
        int[] sizes = {7, 1500, 300};
        for (int s = 0; s < sizes.length; s++) {
            int position = 0;
            for (int left = sizes[s]; left > 0; ) {
                int n = Math.min(left, 1 + r.nextInt(400));
                int[][] experts = new int[shape.moeLayerCount()][n * shape.topK()];
                for (int[] column : experts) {
                    for (int x = 0; x < column.length; x++) {
                        column[x] = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(shape.routedExperts());
                    }
                }
                int[] ids = r.ints(n, 0, 100).toArray();
                out.add(new RoutingBlock(
                        s + 1, position, n, shape.moeLayers(), shape.topK(), experts, ids, Phase.PREFILL));
                position += n;
                left -= n;
            }
        }
        return out;
    }

    private static RoutingAccumulator feed(List<RoutingBlock> blocks, boolean columns) {
        RoutingAccumulator acc = new RoutingAccumulator(null, DiagnosisOptions.defaults());
        long open = 0;
        for (RoutingBlock b : blocks) {
            if (b.sequenceId() != open) {
                acc.accept(new SequenceStarted(b.sequenceId(), shape));
                open = b.sequenceId();
            }
            if (columns) {
                acc.acceptBlock(b);
            } else {
                b.expand(acc);
            }
        }
        acc.accept(new SequenceFinished(open, 0, StopReason.RECORDED));
        return acc;
    }

    @Test
    void theAccumulatorTakesColumnsAsItTakesEvents() {
        List<RoutingBlock> blocks = blocks(7);
        List<LayerReport> byColumns = feed(blocks, true).layerReports();
        List<LayerReport> byEvents = feed(blocks, false).layerReports();
        assertEquals(byEvents.size(), byColumns.size());
        for (int i = 0; i < byEvents.size(); i++) {
            LayerReport a = byColumns.get(i);
            LayerReport b = byEvents.get(i);
            assertEquals(1807, a.tokens());
            assertEquals(b.tokens(), a.tokens());
            assertArrayEquals(b.load().counts(), a.load().counts());
            assertArrayEquals(b.coactivation(), a.coactivation());
            assertEquals(b.windows(), a.windows());
            assertEquals(b.capacity(), a.capacity());
            assertEquals(b.losses(), a.losses());
        }
    }

    @Test
    void aBlockExpandsIntoIdOnlyDecisionsAndTokens() {
        RoutingBlock b = blocks(3).get(0);
        List<TraceEvent> events = new ArrayList<>();
        b.expand(Recordings.sink(events::add));
        assertEquals(b.tokens() * (shape.moeLayerCount() + 1), events.size());
        RoutingDecision d = (RoutingDecision) events.get(shape.moeLayerCount() + 1); // token 1, first MoE layer
        assertEquals(shape.moeLayers()[0], d.layer());
        assertEquals(1, d.position());
        assertEquals(false, d.hasScores());
        for (int j = 0; j < shape.topK(); j++) {
            assertEquals(b.expert(0, 1, j), d.expert(j));
            assertTrue(Float.isNaN(d.weights()[j]));
        }
        TokenEmitted t = (TokenEmitted) events.get(2 * (shape.moeLayerCount() + 1) - 1);
        assertEquals(b.tokenIds()[1], t.tokenId());
    }

    @Test
    void thePerTokenFixtureArrivesInColumnsWithItsPaddingDropped() throws Exception {
        List<RoutingBlock> seen = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>();
        io.moescope.model.trace.TraceSink sink = new io.moescope.model.trace.TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(TraceEvent event) {
                events.add(event);
            }

            @Override
            public void acceptBlock(RoutingBlock block) {
                seen.add(block);
            }
        };
        RecordingImporter.Summary s = new RecordingImporter(
                        shape, io.moescope.model.recording.pickle.PickleLimits.DEFAULT)
                .run(List.of(Recordings.file("sglang_per_token_0.pt"), Recordings.file("sglang_per_token_1.pt")), sink);
        assertTrue(events.stream().noneMatch(e -> e instanceof RoutingDecision || e instanceof TokenEmitted));
        assertEquals(s.tokens(), seen.stream().mapToInt(RoutingBlock::tokens).sum());
        assertEquals(s.sequences(), seen.size()); // one block per request or decode pass, the padded slot left out
    }

    @Test
    void badBlocksAreRefused() {
        int[] moe = shape.moeLayers();
        int[][] two = new int[moe.length][2 * shape.topK()];
        assertThrows(
                IllegalArgumentException.class,
                () -> new RoutingBlock(1, 0, 3, moe, shape.topK(), two, new int[3], Phase.PREFILL));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RoutingBlock(1, 0, 2, moe, shape.topK(), new int[1][], new int[2], Phase.PREFILL));
        RoutingAccumulator acc = new RoutingAccumulator(shape, DiagnosisOptions.defaults());
        acc.accept(new SequenceStarted(1, shape));
        two[1][3] = shape.routedExperts();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> acc.acceptBlock(new RoutingBlock(1, 0, 2, moe, shape.topK(), two, new int[2], Phase.PREFILL)));
        assertTrue(e.getMessage().contains("expert 16 of 16"), e.getMessage());
    }
}
