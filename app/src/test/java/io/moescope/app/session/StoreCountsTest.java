package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The counts a trace store's view carries are its accumulator's: every position routed in the sequence (dropped
 * ones included), equal to a recount of the decisions fed, and the mean entropy equal to the positions'.
 */
class StoreCountsTest {

    private static final int LAYERS = 3;
    private static final int EXPERTS = 8;
    private final ModelShape shape = new ModelShape("deepseek", LAYERS + 1, new int[] {1, 2, 3}, EXPERTS, 0, 2, 10);
    private final Random random = new Random(7);
    private final long[] fed = new long[LAYERS * EXPERTS];
    private double entropySum;

    @Test
    void countsEqualARecountOfEverythingFedAfterEveryToken() {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 200; p++) {
            emit(store, p);
            assertArrayEquals(fed, store.view().counts().counts(), "counts at " + p);
        }
        TraceSnapshot view = store.view();
        assertEquals(200, view.counts().tokens());
        double entropy = 0;
        for (TokenTrace t : view.tokens()) {
            for (int l = 0; l < LAYERS; l++) {
                entropy += t.routingEntropy(l);
            }
        }
        assertEquals(entropy / (200.0 * LAYERS), view.counts().meanEntropy(), 1e-3); // positions keep 16-bit scores
        assertEquals(entropySum / (200.0 * LAYERS), view.counts().meanEntropy(), 1e-9);
    }

    @Test
    void positionsDroppedFromTheRingStillCount() {
        long perPosition = TokenTrace.bytesPerPosition(LAYERS, EXPERTS, 2);
        TraceStore store = new TraceStore(perPosition * 300, false);
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 1000; p++) {
            emit(store, p);
        }
        TraceSnapshot view = store.view();
        assertEquals(300, view.size());
        assertEquals(700, view.droppedPositions());
        assertEquals(1000, view.counts().tokens());
        assertArrayEquals(fed, view.counts().counts());
        store.accept(new SequenceStarted(2, shape)); // a new sequence starts from zero
        assertEquals(0, store.view().counts().tokens());
        assertArrayEquals(new long[LAYERS * EXPERTS], store.view().counts().counts());
    }

    @Test
    void routingTheAccumulatorCannotTakeStopsItButNotTheStore() {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        emit(store, 0);
        store.accept(new RoutingDecision(
                1,
                1,
                0,
                new float[EXPERTS],
                new float[EXPERTS],
                null,
                null,
                new int[] {0, 1},
                new float[] {.5f, .5f},
                1f,
                0f,
                Float.NaN)); // layer 0 is dense
        emit(store, 1);
        assertEquals(2, store.view().size());
        assertTrue(store.routingProblem().contains("not an MoE layer"), store.routingProblem());
        assertEquals(1, store.view().counts().tokens());
    }

    @Test
    void viewIsBuiltOncePerChangeAndLogitsKeepTheCounts() {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        emit(store, 0);
        TraceSnapshot first = store.view();
        assertSame(first, store.view());
        store.accept(new LogitsRecorded(1, 0, new float[10]));
        TraceSnapshot second = store.view();
        assertNotSame(first, second);
        assertEquals(first.counts(), second.counts());
        assertTrue(second.at(0).next().size() > 0);
    }

    private void emit(TraceStore store, int position) {
        for (int l = 1; l <= LAYERS; l++) {
            float[] scores = new float[EXPERTS];
            double total = 0;
            for (int e = 0; e < EXPERTS; e++) {
                scores[e] = random.nextFloat() / EXPERTS;
                total += scores[e];
            }
            double h = 0;
            for (float x : scores) {
                h -= x / total * Math.log(x / total);
            }
            entropySum += h / Math.log(EXPERTS);
            int a = random.nextInt(EXPERTS);
            int b = (a + 1 + random.nextInt(EXPERTS - 1)) % EXPERTS;
            fed[(l - 1) * EXPERTS + a]++;
            fed[(l - 1) * EXPERTS + b]++;
            store.accept(new RoutingDecision(
                    1,
                    position,
                    l,
                    new float[EXPERTS],
                    scores,
                    null,
                    null,
                    new int[] {a, b},
                    new float[] {.6f, .4f},
                    1f,
                    0f,
                    Float.NaN));
        }
        store.accept(new TokenEmitted(1, position, position % 10, "t", position < 5 ? Phase.PREFILL : Phase.DECODE));
    }
}
