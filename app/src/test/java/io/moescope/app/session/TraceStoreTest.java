package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceStoreTest {

    @Test
    void replayKeepsEveryPositionWithItsChosenExpertsAndScores() throws Exception {
        List<TraceEvent> events = TraceFixtures.events("deepseek_f32");
        TraceStore store = new TraceStore();
        events.forEach(store::accept);
        TraceSnapshot view = store.view();
        long tokens = events.stream().filter(e -> e instanceof TokenEmitted).count();
        assertEquals(tokens, view.size());
        assertTrue(view.finished());
        for (TraceEvent e : events) {
            if (e instanceof RoutingDecision r) {
                TokenTrace t = view.at(r.position());
                int layer = view.shape().moeIndex(r.layer());
                assertEquals(r.experts()[0], t.chosenExpert(layer, 0));
                assertEquals(r.weights()[1], t.weight(layer, 1), 0f);
                assertEquals(r.scores()[3], t.score(layer, 3), 1e-4f); // 16-bit fixed point
                assertEquals(r.sharedShare(), t.sharedShare(layer), 0f);
            }
        }
    }

    @Test
    void boundedStoreDropsTheOldestPositionsAndSaysSo() {
        ModelShape shape = new ModelShape("deepseek", 2, new int[] {1}, 4, 0, 2, 10);
        long perPosition = TokenTrace.bytesPerPosition(1, 4, 2);
        TraceStore store = new TraceStore(perPosition * 300, false); // → the 256-position floor? no: 300
        store.accept(new SequenceStarted(1, shape));
        int n = 10_000;
        for (int p = 0; p < n; p++) {
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
            store.accept(new TokenEmitted(1, p, p % 10, "t", p < 5 ? Phase.PREFILL : Phase.DECODE));
        }
        TraceSnapshot view = store.view();
        assertEquals(300, store.capacity());
        assertEquals(300, view.size());
        assertEquals(n - 300, view.droppedPositions());
        assertEquals(n - 1, view.tokens().get(view.size() - 1).position());
        assertTrue(view.bytes() <= perPosition * 300);
    }

    @Test
    void tokensThatArePiecesOfACharacterShowTheirPiece() {
        ModelShape shape = new ModelShape("deepseek", 1, new int[] {0}, 4, 0, 1, 50);
        TraceStore plain = new TraceStore();
        TraceStore withPieces = new TraceStore().tokenPieces(id -> "\\xe5\\xba");
        for (TraceStore store : new TraceStore[] {plain, withPieces}) {
            store.accept(new SequenceStarted(1, shape));
            store.accept(new TokenEmitted(1, 0, 879, "", Phase.PREFILL)); // first bytes of 床: no text yet
            store.accept(new TokenEmitted(1, 1, 880, "床", Phase.PREFILL)); // completes the character
        }
        assertEquals("#879", plain.view().at(0).label());
        assertEquals("\\xe5\\xba", withPieces.view().at(0).label());
        assertEquals("床", withPieces.view().at(1).label());
        assertEquals("", withPieces.view().at(0).text(), "the streamed text itself is unchanged");
    }

    @Test
    void logitsKeepOnlyTheTopTenProbabilities() {
        ModelShape shape = new ModelShape("deepseek", 1, new int[] {0}, 4, 0, 1, 50);
        TraceStore store = new TraceStore();
        store.accept(new SequenceStarted(1, shape));
        store.accept(new TokenEmitted(1, 0, 7, "a", Phase.PREFILL));
        float[] logits = new float[50];
        for (int i = 0; i < 50; i++) {
            logits[i] = i * 0.1f;
        }
        store.accept(new LogitsRecorded(1, 0, logits));
        TopTokens top = store.view().at(0).next();
        assertNotNull(top);
        assertEquals(10, top.size());
        assertEquals(49, top.id(0));
        assertEquals(40, top.id(9));
        double z = 0;
        for (float v : logits) {
            z += Math.exp(v - 4.9);
        }
        assertEquals(1 / z, top.probability(0), 1e-6);
    }
}
