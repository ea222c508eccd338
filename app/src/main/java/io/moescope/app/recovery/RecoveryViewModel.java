package io.moescope.app.recovery;

import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Problems;
import io.moescope.app.session.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.StringProperty;

/**
 * The offer made at start when the last window closed unexpectedly: the runs it was recording, restore one (it
 * replays like a saved trace, named as recovered, and its prompt goes back into the prompt box) or discard them.
 * Knows no controls: {@link RecoveryDialog} asks the user.
 */
public final class RecoveryViewModel {

    private final RecoverySession session;
    private final EngineViewModel engine;
    private final StringProperty prompt;
    private final Problems problems;
    private List<RecoveredRun> offers = List.of();

    /** @param prompt the prompt box's text, which a restored run's prompt replaces */
    public RecoveryViewModel(
            RecoverySession session, EngineViewModel engine, StringProperty prompt, Problems problems) {
        this.session = Objects.requireNonNull(session, "session");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Looks for runs that dead sessions left; returns them, newest first (empty: nothing to offer). */
    public List<RecoveredRun> scan() {
        try {
            offers = session.orphans();
        } catch (IOException e) {
            problems.report(
                    "Cannot look for runs to restore", session.directory().getParent(), e);
            offers = List.of();
        }
        return offers;
    }

    /** What the last {@link #scan()} found. */
    public List<RecoveredRun> offers() {
        return offers;
    }

    /**
     * Restores {@code chosen} as the primary run and discards the other offers. Completes with the replayed run,
     * or exceptionally once the problem has been reported.
     */
    public CompletableFuture<Run> restore(RecoveredRun chosen) {
        Path file;
        try {
            file = session.adopt(chosen);
        } catch (IOException e) {
            problems.report("Cannot restore " + chosen.label(), chosen.trace(), e);
            return CompletableFuture.failedFuture(e);
        }
        discardAllBut(chosen);
        prompt.set(chosen.prompt());
        return engine.openTrace(file, chosen.restoredLabel(), false);
    }

    /** Discards every offer. */
    public void discard() {
        discardAllBut(null);
    }

    private void discardAllBut(RecoveredRun kept) {
        for (RecoveredRun offer : offers) {
            if (offer != kept) {
                try {
                    session.discard(offer);
                } catch (IOException e) {
                    problems.report("Cannot discard " + offer.label(), offer.trace(), e);
                }
            }
        }
        offers = List.of();
    }
}
