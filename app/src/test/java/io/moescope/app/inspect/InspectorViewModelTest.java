package io.moescope.app.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InspectorViewModelTest {

    private final Workspace workspace = new Workspace(Runnable::run);
    private final TraceStore store = new TraceStore();
    private final AtomicLong clock = new AtomicLong();
    private final InspectorViewModel inspector = new InspectorViewModel(workspace, clock::get);

    private void token(int position) {
        store.accept(new RoutingDecision(
                1,
                position,
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
        store.accept(new TokenEmitted(1, position, 7, "t" + position, position < 2 ? Phase.PREFILL : Phase.DECODE));
    }

    @Test
    void withNoTokenSelectedItFollowsTheNewestRoutedTokenAFewTimesASecondWhileStreamingAndAtOnceWhenTheRunEnds() {
        workspace.primaryProperty().set(new Run("test", store, null));
        assertEquals("Click a token to inspect it", inspector.titleProperty().get());
        store.accept(new SequenceStarted(1, new ModelShape("deepseek", 2, new int[] {1}, 4, 0, 2, 10)));
        token(0);
        assertTrue(
                inspector.titleProperty().get().startsWith("Newest token 0"),
                inspector.titleProperty().get());
        assertTrue(inspector.isFollowingNewest());

        clock.addAndGet(InspectorViewModel.FOLLOW_INTERVAL_NANOS / 10);
        token(1);
        token(2);
        assertEquals(0, inspector.tokenProperty().get().position(), "too soon: still the token shown before");

        clock.addAndGet(InspectorViewModel.FOLLOW_INTERVAL_NANOS);
        token(3);
        assertEquals(3, inspector.tokenProperty().get().position());

        token(4); // no time passed, but the run ends: the last token the model ran is shown at once
        store.accept(new TokenEmitted(1, 5, 9, "last", Phase.DECODE)); // sampled, never run: no routing to show
        store.accept(new SequenceFinished(1, 6, io.moescope.model.trace.StopReason.MAX_TOKENS));
        assertEquals(4, inspector.tokenProperty().get().position());
        assertEquals(2, inspector.choicesProperty().get().get(0).experts().length);
    }

    @Test
    void aSelectedTokenIsShownAtOnceAndPinned() {
        workspace.primaryProperty().set(new Run("test", store, null));
        store.accept(new SequenceStarted(1, new ModelShape("deepseek", 2, new int[] {1}, 4, 0, 2, 10)));
        token(0);
        token(1);
        workspace.selectedPositionProperty().set(0);
        assertTrue(
                inspector.titleProperty().get().startsWith("Token 0"),
                inspector.titleProperty().get());
        assertFalse(inspector.isFollowingNewest());
        token(2);
        assertEquals(0, inspector.tokenProperty().get().position(), "a pinned token stays");
    }
}
