package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store's writer (the inference thread) never waits for a reader, however slow the reader is. */
class TraceStoreReaderTest {

    private static final ModelShape SHAPE = new ModelShape("deepseek", 2, new int[] {1}, 4, 0, 2, 10);

    @Test
    void writerRunsOnWhileAReaderIsStuckInsideAViewAndTheReaderSeesItsViewUnchanged() throws Exception {
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, SHAPE));
        for (int p = 0; p < 10; p++) {
            token(store, p);
        }
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] seen = new int[3];
        Thread reader = new Thread(() -> {
            TraceSnapshot view = store.view();
            seen[0] = view.size();
            view.tokens().get(0); // reading the view, as a heatmap refresh does
            inside.countDown();
            try {
                release.await(); // a reader that is descheduled, or slow, in the middle of reading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen[1] = view.size();
            seen[2] = view.tokens().get(view.size() - 1).position();
        });
        reader.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        // the writer goes on while the reader holds its view: 5 000 tokens, no waiting (a lock would hang here)
        Thread writer = new Thread(() -> {
            for (int p = 10; p < 5_010; p++) {
                token(store, p);
            }
        });
        writer.start();
        writer.join(TimeUnit.SECONDS.toMillis(20));
        assertTrue(!writer.isAlive(), "the writer waited for the reader");
        assertEquals(5_010, store.view().size());
        release.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(10, seen[0]);
        assertEquals(10, seen[1], "a view never changes under its reader");
        assertEquals(9, seen[2]);
    }

    private static void token(TraceStore store, int p) {
        store.accept(new RoutingDecision(
                1,
                p,
                1,
                new float[4],
                new float[] {.1f, .2f, .3f, .4f},
                null,
                null,
                new int[] {3, 2},
                new float[] {.6f, .4f},
                1f,
                0f,
                Float.NaN));
        store.accept(new TokenEmitted(1, p, p % 10, "t", Phase.DECODE));
    }
}
