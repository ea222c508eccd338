package io.moescope.app.session;

import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * The routing of one sequence, bounded: the newest {@link TokenTrace}s that fit a byte budget, so a 10 000-token
 * session (or a longer one) never grows past it. Beyond the capacity the oldest positions are dropped and
 * {@link TraceView#droppedPositions()} says how many.
 *
 * <p>The store also keeps the run's {@link RoutingTotals} (expert counts per layer, routing entropy) up to date as
 * positions arrive and drop out, so views read whole-run figures without recounting every position, and keeps
 * its positions in a {@link GrowingList}, so a view is O(1) to take whatever the length of the run.
 *
 * <p>Threading: one writer (the inference or replay thread calls {@link #accept}); any number of readers call
 * {@link #view()} from any thread without locks. Everything a view shows is published at once in one volatile
 * field after it is written (single writer, published head). Listeners run on the writer thread: signal, don't
 * work.
 */
public final class TraceStore implements TraceSink {

    /** Default memory budget for one run's trace: 256 MB. */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

    private final long budgetBytes;
    private final boolean logits;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private volatile Head head = Head.NONE;  // what has been published
    private volatile String finishReason;    // null while running
    private volatile long changes;           // moves on every published change (the writer's only)
    private volatile CachedView cached = new CachedView(-1, TraceView.EMPTY);
    private GrowingList<TokenTrace> positions = new GrowingList<>(); // writer only; ascending positions
    private RoutingDecision[] pending = new RoutingDecision[0];      // writer only, [moe layer]
    private RoutingTotals.Running running = new RoutingTotals.Running(0, 0); // writer only
    private final RoutingLog routingLog = new RoutingLog(RoutingLog.DEFAULT_BUDGET_BYTES);

    public TraceStore(long budgetBytes, boolean logits) {
        this.budgetBytes = budgetBytes;
        this.logits = logits;
    }

    public TraceStore() {
        this(DEFAULT_BUDGET_BYTES, true);
    }

    private volatile IntFunction<String> tokenPieces;

    /**
     * How to show a token whose streamed text is empty (a piece of a multi-byte character): typically the model
     * tokenizer's {@code display}, which writes its bytes. Without it such tokens show as {@code #id}.
     */
    public TraceStore tokenPieces(IntFunction<String> pieces) {
        this.tokenPieces = pieces;
        return this;
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
            ModelShape sh = head.shape();
            int index = sh == null ? -1 : sh.moeIndex(r.layer());
            if (index >= 0) {
                pending[index] = r;
            }
        } else if (event instanceof TokenEmitted t) {
            Head h = head;
            if (h.shape() == null || t.position() < 0) {
                return;
            }
            IntFunction<String> pieces = tokenPieces;
            String piece = t.text().isEmpty() && pieces != null ? pieces.apply(t.tokenId()) : null;
            TokenTrace trace = TokenTrace.of(t.position(), t.tokenId(), t.text(), piece, t.phase(),
                    h.shape().routedExperts(), pending);
            pending = new RoutingDecision[h.shape().moeLayerCount()];
            int published = Math.max(h.published(), t.position() + 1);
            int first = Math.max(0, published - h.capacity());
            store(trace, first);
            head = new Head(h.shape(), h.capacity(), published, first, positions.snapshot(), running.snapshot());
            fire();
        } else if (event instanceof LogitsRecorded l) {
            int index = indexOf(l.position());
            if (index >= 0) {
                // a newer version of the same position (same routing: totals unchanged); views holding the
                // position see it from now on
                positions.replace(index, positions.get(index).withNext(TopTokens.of(l, TopTokens.SIZE)));
                fire();
            }
        } else if (event instanceof SequenceFinished f) {
            finishReason = f.reason();
            fire();
        }
    }

    /**
     * Adds a position and keeps the running totals equal to the sum over the retained positions: positions before
     * {@code first} leave, a position that is already there is replaced.
     */
    private void store(TokenTrace trace, int first) {
        int drop = 0;
        while (drop < positions.size() && positions.get(drop).position() < first) {
            running.remove(positions.get(drop++));
        }
        positions.dropFirst(drop);
        if (trace.position() < first) {
            return;
        }
        int n = positions.size();
        if (n == 0 || positions.get(n - 1).position() < trace.position()) {
            positions.add(trace);
        } else {
            int index = indexOf(trace.position());
            if (index >= 0) {
                running.remove(positions.get(index));
                positions.replace(index, trace);
            } else { // an earlier position arriving late (not seen in practice): insert it in order
                GrowingList<TokenTrace> sorted = new GrowingList<>();
                boolean placed = false;
                for (int i = 0; i < n; i++) {
                    TokenTrace t = positions.get(i);
                    if (!placed && t.position() > trace.position()) {
                        sorted.add(trace);
                        placed = true;
                    }
                    sorted.add(t);
                }
                positions = sorted;
            }
        }
        running.add(trace);
    }

    /** Index of a retained position, or -1 (binary search: positions are ascending). */
    private int indexOf(int position) {
        int lo = 0;
        int hi = positions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int p = positions.get(mid).position();
            if (p == position) {
                return mid;
            } else if (p < position) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private void start(ModelShape s) {
        long perPosition = TokenTrace.bytesPerPosition(s.moeLayerCount(), s.routedExperts(), s.topK());
        int capacity = (int) Math.max(256, Math.min(1 << 22, budgetBytes / perPosition));
        pending = new RoutingDecision[s.moeLayerCount()];
        finishReason = null;
        running = new RoutingTotals.Running(s.moeLayerCount(), s.routedExperts());
        positions = new GrowingList<>();
        head = new Head(s, capacity, 0, 0, positions.snapshot(), running.snapshot());
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
        return head.capacity();
    }

    /**
     * An immutable view of what has been published so far: O(1), no copying, no recounting (and the same
     * instance until something changes).
     */
    public TraceView view() {
        long version = changes;
        CachedView c = cached;
        if (c.version() == version) {
            return c.view();
        }
        Head h = head;
        TraceView v = TraceView.EMPTY;
        if (h.shape() != null) {
            long bytes = (long) h.tokens().size() * TokenTrace.bytesPerPosition(h.shape().moeLayerCount(),
                    h.shape().routedExperts(), h.shape().topK());
            v = new TraceView(h.shape(), h.tokens(), h.first(), h.capacity(), bytes, finishReason, h.totals());
        }
        cached = new CachedView(version, v); // built after reading version: at least that new
        return v;
    }

    /**
     * What a view shows, published together.
     *
     * @param published one past the highest position seen
     * @param first     the first position kept (everything before it was dropped)
     */
    private record Head(ModelShape shape, int capacity, int published, int first, List<TokenTrace> tokens,
                        RoutingTotals totals) {
        static final Head NONE = new Head(null, 0, 0, 0, List.of(), RoutingTotals.EMPTY);
    }

    private record CachedView(long version, TraceView view) {
    }
}
