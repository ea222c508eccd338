package io.moescope.app.session;

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

/** The trace store's running totals always equal a recount of the positions its view retains. */
class RoutingTotalsTest {

    private static final int LAYERS = 3;
    private static final int EXPERTS = 8;
    private final ModelShape shape = new ModelShape("deepseek", LAYERS + 1, new int[] {1, 2, 3}, EXPERTS, 0, 2, 10);
    private final Random random = new Random(7);

    @Test
    void runningTotalsEqualARecountAfterEveryToken() {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 200; p++) {
            emit(store, p);
            assertRecount(store.view());
        }
        TraceView view = store.view();
        long choices = 0;
        for (int[] layer : view.totals().counts()) {
            for (int c : layer) {
                choices += c;
            }
        }
        assertEquals(200L * LAYERS * 2, choices);
        assertEquals(200L * LAYERS, view.totals().entropyTerms());
    }

    @Test
    void positionsDroppedFromTheRingLeaveTheTotals() {
        long perPosition = TokenTrace.bytesPerPosition(LAYERS, EXPERTS, 2);
        TraceStore store = new TraceStore(perPosition * 300, false);
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 1000; p++) {
            emit(store, p);
            if (p % 97 == 0 || p > 990) {
                assertRecount(store.view());
            }
        }
        TraceView view = store.view();
        assertEquals(300, view.size());
        assertEquals(700, view.droppedPositions());
        assertEquals(300L * LAYERS, view.totals().entropyTerms());
    }

    @Test
    void jumpsAheadAndRepeatedPositionsKeepTotalsExact() {
        long perPosition = TokenTrace.bytesPerPosition(LAYERS, EXPERTS, 2);
        TraceStore store = new TraceStore(perPosition * 256, false);
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 100; p++) {
            emit(store, p);
        }
        emit(store, 50);   // the same position again replaces it
        assertRecount(store.view());
        emit(store, 400);  // jumps past the capacity: everything before 145 leaves
        assertRecount(store.view());
        assertEquals(1, store.view().size());
        for (int p = 401; p < 700; p++) {
            emit(store, p);
        }
        assertRecount(store.view());
        store.accept(new SequenceStarted(2, shape)); // a new sequence starts from zero
        assertEquals(RoutingTotals.count(java.util.List.of(), LAYERS, EXPERTS), store.view().totals());
    }

    @Test
    void viewIsBuiltOncePerChangeAndLogitsKeepTheTotals() {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        emit(store, 0);
        TraceView first = store.view();
        assertSame(first, store.view());
        store.accept(new LogitsRecorded(1, 0, new float[10]));
        TraceView second = store.view();
        assertNotSame(first, second);
        assertEquals(first.totals(), second.totals());
        assertTrue(second.at(0).next().size() > 0);
    }

    private void emit(TraceStore store, int position) {
        for (int l = 1; l <= LAYERS; l++) {
            float[] scores = new float[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) {
                scores[e] = random.nextFloat() / EXPERTS;
            }
            int a = random.nextInt(EXPERTS);
            int b = (a + 1 + random.nextInt(EXPERTS - 1)) % EXPERTS;
            store.accept(new RoutingDecision(1, position, l, new float[EXPERTS], scores, null, null,
                    new int[] {a, b}, new float[] {.6f, .4f}, 1f, 0f, Float.NaN));
        }
        store.accept(new TokenEmitted(1, position, position % 10, "t", position < 5 ? Phase.PREFILL : Phase.DECODE));
    }

    private static void assertRecount(TraceView view) {
        assertEquals(RoutingTotals.count(view.tokens(), LAYERS, EXPERTS), view.totals(), "totals at " + view.size());
    }
}
