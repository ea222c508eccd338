package io.moescope.app.session;

import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The routing of one sequence, bounded: a ring of {@link TokenTrace}s sized from a byte budget, so a
 * 10 000-token session (or a longer one) never grows past it. Beyond the capacity the oldest positions are
 * dropped and {@link TraceView#droppedPositions()} says how many.
 *
 * <p>Threading: one writer (the inference or replay thread calls {@link #accept}); any number of readers call
 * {@link #view()} from any thread without locks. A slot is published with a volatile counter after it is
 * written (single writer, published counter). Listeners run on the writer thread: signal, don't work.
 */
public final class TraceStore implements TraceSink {

    /** Default memory budget for one run's trace: 256 MB. */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

    private final long budgetBytes;
    private final boolean logits;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private volatile ModelShape shape;
    private volatile AtomicReferenceArray<TokenTrace> ring = new AtomicReferenceArray<>(0);
    private volatile int published;          // positions 0 .. published-1 have been written
    private volatile String finishReason;    // null while running
    private RoutingDecision[] pending = new RoutingDecision[0]; // writer only, [moe layer]
    private final RoutingLog routingLog = new RoutingLog(RoutingLog.DEFAULT_BUDGET_BYTES);

    public TraceStore(long budgetBytes, boolean logits) {
        this.budgetBytes = budgetBytes;
        this.logits = logits;
    }

    public TraceStore() {
        this(DEFAULT_BUDGET_BYTES, true);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean wantsLogits() {
        return logits;
    }

    /** Called after every published change, on the writer thread. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof SequenceStarted) {
            routingLog.clear();
        }
        routingLog.accept(event);
        if (event instanceof SequenceStarted s) {
            start(s.shape());
        } else if (event instanceof RoutingDecision r) {
            ModelShape sh = shape;
            int index = sh == null ? -1 : sh.moeIndex(r.layer());
            if (index >= 0) {
                pending[index] = r;
            }
        } else if (event instanceof TokenEmitted t) {
            ModelShape sh = shape;
            if (sh == null || t.position() < 0) {
                return;
            }
            TokenTrace trace = TokenTrace.of(t.position(), t.tokenId(), t.text(), t.phase(), sh.routedExperts(),
                    pending);
            pending = new RoutingDecision[sh.moeLayerCount()];
            AtomicReferenceArray<TokenTrace> r = ring;
            r.set(t.position() % r.length(), trace);
            published = Math.max(published, t.position() + 1);
            fire();
        } else if (event instanceof LogitsRecorded l) {
            AtomicReferenceArray<TokenTrace> r = ring;
            if (r.length() == 0) {
                return;
            }
            int slot = l.position() % r.length();
            TokenTrace at = r.get(slot);
            if (at != null && at.position() == l.position()) {
                r.set(slot, at.withNext(TopTokens.of(l, TopTokens.SIZE)));
                fire();
            }
        } else if (event instanceof SequenceFinished f) {
            finishReason = f.reason();
            fire();
        }
    }

    private void start(ModelShape s) {
        long perPosition = TokenTrace.bytesPerPosition(s.moeLayerCount(), s.routedExperts(), s.topK());
        int capacity = (int) Math.max(256, Math.min(1 << 22, budgetBytes / perPosition));
        pending = new RoutingDecision[s.moeLayerCount()];
        finishReason = null;
        published = 0;
        ring = new AtomicReferenceArray<>(capacity);
        shape = s;
        fire();
    }

    private void fire() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** The full-precision routing of the current sequence, for the diagnosis. */
    public RoutingLog routingLog() {
        return routingLog;
    }

    /** Positions this store can hold before it drops the oldest. */
    public int capacity() {
        return ring.length();
    }

    /** An immutable view of what has been published so far; cheap enough to call once per pulse. */
    public TraceView view() {
        ModelShape s = shape;
        AtomicReferenceArray<TokenTrace> r = ring;
        int n = published;
        if (s == null || r.length() == 0) {
            return TraceView.EMPTY;
        }
        int first = Math.max(0, n - r.length());
        List<TokenTrace> tokens = new ArrayList<>(n - first);
        for (int p = first; p < n; p++) {
            TokenTrace t = r.get(p % r.length());
            if (t != null && t.position() == p) {
                tokens.add(t);
            }
        }
        long bytes = (long) tokens.size() * TokenTrace.bytesPerPosition(s.moeLayerCount(), s.routedExperts(),
                s.topK());
        return new TraceView(s, tokens, first, r.length(), bytes, finishReason);
    }
}
