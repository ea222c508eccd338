package io.moescope.app.session;

import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The routing of one sequence, bounded: a ring of {@link TokenTrace}s sized from a byte budget, so a
 * 10 000-token session (or a longer one) never grows past it. Beyond the capacity the oldest positions are
 * dropped and {@link TraceView#droppedPositions()} says how many.
 *
 * <p>The store also keeps the run's {@link RoutingTotals} (expert counts per layer, routing entropy) up to date as
 * positions arrive and drop out, so views read whole-run figures without recounting every position.
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
    private volatile Head head = new Head(0, RoutingTotals.EMPTY); // what has been published
    private volatile String finishReason;    // null while running
    private volatile long changes;           // moves on every published change (the writer's only)
    private volatile CachedView cached = new CachedView(-1, TraceView.EMPTY);
    private RoutingDecision[] pending = new RoutingDecision[0]; // writer only, [moe layer]
    private RoutingTotals.Running running = new RoutingTotals.Running(0, 0); // writer only
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
            int published = Math.max(head.published(), t.position() + 1);
            store(trace, published);
            head = new Head(published, running.snapshot());
            fire();
        } else if (event instanceof LogitsRecorded l) {
            AtomicReferenceArray<TokenTrace> r = ring;
            if (r.length() == 0) {
                return;
            }
            int slot = l.position() % r.length();
            TokenTrace at = r.get(slot);
            if (at != null && at.position() == l.position()) {
                r.set(slot, at.withNext(TopTokens.of(l, TopTokens.SIZE))); // same routing: totals unchanged
                fire();
            }
        } else if (event instanceof SequenceFinished f) {
            finishReason = f.reason();
            fire();
        }
    }

    /**
     * Writes a position into its ring slot and keeps the running totals equal to the sum over the retained
     * positions: whatever the slot held is taken out, and so is any position that the new published count pushes
     * out of the window (only when positions jump ahead by more than one).
     */
    private void store(TokenTrace trace, int published) {
        AtomicReferenceArray<TokenTrace> r = ring;
        int capacity = r.length();
        int leftBefore = Math.max(0, head.published() - capacity);
        int leftAfter = Math.max(0, published - capacity);
        for (int q = Math.max(leftBefore, leftAfter - capacity); q < leftAfter; q++) {
            TokenTrace stale = r.get(q % capacity);
            if (stale != null && stale.position() == q && q % capacity != trace.position() % capacity) {
                running.remove(stale);
                r.set(q % capacity, null);
            }
        }
        TokenTrace old = r.getAndSet(trace.position() % capacity, trace);
        if (old != null) {
            running.remove(old);
        }
        running.add(trace);
    }

    private void start(ModelShape s) {
        long perPosition = TokenTrace.bytesPerPosition(s.moeLayerCount(), s.routedExperts(), s.topK());
        int capacity = (int) Math.max(256, Math.min(1 << 22, budgetBytes / perPosition));
        pending = new RoutingDecision[s.moeLayerCount()];
        finishReason = null;
        running = new RoutingTotals.Running(s.moeLayerCount(), s.routedExperts());
        head = new Head(0, running.snapshot());
        ring = new AtomicReferenceArray<>(capacity);
        shape = s;
        fire();
    }

    private void fire() {
        changes++; // single writer

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

    /**
     * An immutable view of what has been published so far. Built at most once per change (every view model
     * asking in the same pulse gets the same instance): O(retained positions) reference copies, no recounting.
     */
    public TraceView view() {
        long version = changes;
        CachedView c = cached;
        if (c.version() == version) {
            return c.view();
        }
        TraceView v = build();
        cached = new CachedView(version, v); // built after reading version: at least that new
        return v;
    }

    private TraceView build() {
        Head h = head;
        ModelShape s = shape;
        AtomicReferenceArray<TokenTrace> r = ring;
        int n = h.published();
        if (s == null || r.length() == 0) {
            return TraceView.EMPTY;
        }
        int first = Math.max(0, n - r.length());
        TokenTrace[] tokens = new TokenTrace[n - first];
        int size = 0;
        for (int p = first; p < n; p++) {
            TokenTrace t = r.get(p % r.length());
            if (t != null && t.position() == p) {
                tokens[size++] = t;
            }
        }
        long bytes = (long) size * TokenTrace.bytesPerPosition(s.moeLayerCount(), s.routedExperts(), s.topK());
        return new TraceView(s, List.of(Arrays.copyOf(tokens, size)), first, r.length(), bytes, finishReason,
                h.totals());
    }

    /** The published position count and the totals over the positions retained at that moment. */
    private record Head(int published, RoutingTotals totals) {
    }

    private record CachedView(long version, TraceView view) {
    }
}
