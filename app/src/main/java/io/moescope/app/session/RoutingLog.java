package io.moescope.app.session;

import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Every routing event of one run at full precision (router logits, scores, chosen experts), for the
 * load-balance diagnosis, which needs what {@link TokenTrace} rounds away. Bounded by a byte budget: beyond it
 * the log stops recording and {@link #truncated()} says so. One writer; {@link #snapshot()} from any thread.
 */
public final class RoutingLog {

    /** Default budget: 256 MB of routing decisions. */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

    private final long budgetBytes;
    private final List<TraceEvent> events = new ArrayList<>();
    private long bytes;
    private volatile boolean truncated;

    public RoutingLog(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Keeps sequence boundaries and routing decisions; ignores the rest. Writer thread. */
    public void accept(TraceEvent event) {
        if (event instanceof RoutingDecision d) {
            long size = 64L + 4L * (d.scores().length * 2L + d.experts().length * 2L
                    + (d.selectionScores() == null ? 0 : d.selectionScores().length));
            if (truncated || bytes + size > budgetBytes) {
                truncated = true;
                return;
            }
            bytes += size;
        } else if (event instanceof SequenceStarted) {
            if (truncated) {
                return;
            }
        } else if (!(event instanceof SequenceFinished)) {
            return;
        }
        synchronized (events) {
            events.add(event);
        }
    }

    /** Forgets everything (a new sequence replaces the old one in the store). */
    public void clear() {
        synchronized (events) {
            events.clear();
            bytes = 0;
            truncated = false;
        }
    }

    /** A copy of the events recorded so far, in order. */
    public List<TraceEvent> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    public int size() {
        synchronized (events) {
            return events.size();
        }
    }

    /** True once the budget was reached: later decisions were not recorded. */
    public boolean truncated() {
        return truncated;
    }
}
