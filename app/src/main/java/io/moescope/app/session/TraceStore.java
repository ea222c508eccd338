package io.moescope.app.session;

import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.diagnosis.RoutingCounts;
import io.moescope.model.trace.DenseLayerOutput;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * The routing of one sequence, bounded: the newest {@link TokenTrace}s that fit a byte budget, so a 10 000-token
 * session (or a longer one) never grows past it. Beyond the capacity the oldest positions are dropped and
 * {@link TraceSnapshot#droppedPositions()} says how many.
 *
 * <p>Every event also goes to the sequence's {@link RoutingAccumulator} (the same one the CLI diagnosis uses):
 * views read whole-run counts from the {@link RoutingCounts} each view carries, and the Diagnosis tab reports on a
 * {@link RoutingAccumulator#copy()} of it, so nothing recounts positions or replays events. Positions are kept in
 * a {@link GrowingList}, so a view is O(1) to take whatever the length of the run.
 *
 * <p>Threading: one writer (the inference or replay thread calls {@link #accept}); any number of readers call
 * {@link #view()} from any thread without locks. Everything a view shows is published at once in one volatile
 * field after it is written (single writer, published head). Listeners run on the writer thread: signal, don't
 * work.
 */
public final class TraceStore implements TraceSink {

    /** Capacity factors the live diagnosis simulates (the Diagnosis tab's spinner steps through them). */
    public static final double[] CAPACITY_FACTORS = {1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0};

    /** Default memory budget for one run's trace: 256 MB. */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

    private final long budgetBytes;
    private final boolean logits;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private volatile Head head = Head.NONE; // what has been published
    private volatile StopReason finishReason; // null while running
    private volatile long changes; // moves on every published change (the writer's only)
    private volatile CachedView cached = new CachedView(-1, TraceSnapshot.EMPTY);
    private GrowingList<TokenTrace> positions = new GrowingList<>(); // writer only; ascending positions
    private RoutingDecision[] pending = new RoutingDecision[0]; // writer only, [moe layer]
    private float[] pendingDense = new float[0]; // writer only, [decoder layer], NaN unless dense
    private volatile RoutingAccumulator routing; // the current sequence's; null before the first
    private volatile String routingProblem; // why the accumulator stopped taking events, or null

    private boolean joined;

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
    /**
     * Makes the store hold every sequence it is fed as one (an imported recording's requests and passes, their
     * positions already numbered on by the feeder): a later SequenceStarted only ends the diagnosis chunk, so the
     * counts cover all sequences and the per-chunk state of the diagnosis stays bounded by one sequence. Call
     * before the first event.
     */
    public TraceStore joinSequences() {
        joined = true;
        return this;
    }

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

    /**
     * What the live diagnosis accumulates: no device split (the tab computes it for any D), M = 3, the
     * {@link #CAPACITY_FACTORS}.
     */
    public static DiagnosisOptions liveOptions() {
        return new DiagnosisOptions(0, 3, CAPACITY_FACTORS, DiagnosisOptions.DEFAULT_WINDOWS, Double.NaN);
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof SequenceStarted && joined && head.shape() != null) {
            accumulate(event); // a chunk boundary for the diagnosis; positions and counts run on
            return;
        }
        if (event instanceof SequenceStarted s) {
            routing = new RoutingAccumulator(s.shape(), liveOptions());
            routingProblem = null;
        }
        accumulate(event);
        if (event instanceof SequenceStarted s) {
            start(s.shape());
        } else if (event instanceof RoutingDecision r) {
            ModelShape sh = head.shape();
            int index = sh == null ? -1 : sh.moeIndex(r.layer());
            if (index >= 0) {
                pending[index] = r;
            }
        } else if (event instanceof DenseLayerOutput d) {
            if (d.layer() >= 0 && d.layer() < pendingDense.length) {
                pendingDense[d.layer()] = d.norm();
            }
        } else if (event instanceof TokenEmitted t) {
            Head h = head;
            if (h.shape() == null || t.position() < 0) {
                return;
            }
            IntFunction<String> pieces = tokenPieces;
            String piece = t.text().isEmpty() && pieces != null ? pieces.apply(t.tokenId()) : null;
            TokenTrace trace = TokenTrace.of(
                    t.position(),
                    t.tokenId(),
                    t.text(),
                    piece,
                    t.phase(),
                    t.fromTemplate(),
                    h.shape().routedExperts(),
                    pending,
                    pendingDense);
            pending = new RoutingDecision[h.shape().moeLayerCount()];
            pendingDense = noDenseNorms(h.shape());
            int published = Math.max(h.published(), t.position() + 1);
            int first = Math.max(0, published - h.capacity());
            store(trace, first);
            RoutingAccumulator acc = routing;
            head = new Head(
                    h.shape(), h.capacity(), published, first, positions.snapshot(), acc == null ? h.source() : acc);
            fire();
        } else if (event instanceof LogitsRecorded l) {
            int index = indexOf(l.position());
            if (index >= 0) {
                // a newer version of the same position (same routing); views holding the position see it from now on
                positions.replace(index, positions.get(index).withNext(TopTokens.of(l, TopTokens.SIZE)));
                fire();
            }
        } else if (event instanceof SequenceFinished f) {
            finishReason = f.reason();
            fire();
        }
    }

    /**
     * An imported recording's routing in columns (rec): the accumulator takes the block whole, and only the
     * positions that stay in the store's window become {@link TokenTrace}s (id-only); one change for the block.
     */
    @Override
    public void acceptBlock(RoutingBlock block) {
        Head h = head;
        if (h.shape() == null) {
            return;
        }
        RoutingAccumulator acc = routing;
        if (acc != null && routingProblem == null) {
            try {
                acc.acceptBlock(block);
            } catch (IllegalArgumentException e) {
                routingProblem = e.getMessage();
            }
        }
        int published = Math.max(h.published(), block.firstPosition() + block.tokens());
        int first = Math.max(0, published - h.capacity());
        IntFunction<String> pieces = tokenPieces;
        for (int t = Math.max(0, first - block.firstPosition()); t < block.tokens(); t++) {
            int id = block.tokenIds()[t];
            store(TokenTrace.ofIds(block, t, pieces == null ? null : pieces.apply(id), h.shape()), first);
        }
        head = new Head(
                h.shape(), h.capacity(), published, first, positions.snapshot(), acc == null ? h.source() : acc);
        fire();
    }

    /** The accumulator takes what it can; a trace it cannot take (routing it does not expect) stops it, once. */
    private void accumulate(TraceEvent event) {
        RoutingAccumulator acc = routing;
        if (acc == null || routingProblem != null) {
            return;
        }
        try {
            acc.accept(event);
        } catch (IllegalArgumentException e) {
            routingProblem = e.getMessage();
        }
    }

    /** Adds a position: positions before {@code first} leave, a position that is already there is replaced. */
    private void store(TokenTrace trace, int first) {
        int drop = 0;
        while (drop < positions.size() && positions.get(drop).position() < first) {
            drop++;
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
        pendingDense = noDenseNorms(s);
        finishReason = null;
        positions = new GrowingList<>();
        head = new Head(s, capacity, 0, 0, positions.snapshot(), routing);
        fire();
    }

    private static float[] noDenseNorms(ModelShape s) {
        float[] out = new float[s.layerCount()];
        java.util.Arrays.fill(out, Float.NaN);
        return out;
    }

    private void fire() {
        changes++; // single writer
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /**
     * The current sequence's accumulator (full precision, every position, dropped ones included), or null before
     * the first sequence. Read it through {@link RoutingAccumulator#counts()} or {@link RoutingAccumulator#copy()}
     * from other threads; only this store feeds it.
     */
    public RoutingAccumulator routing() {
        return routing;
    }

    /** Why the accumulator stopped taking this sequence's events (a trace it cannot diagnose), or null. */
    public String routingProblem() {
        return routingProblem;
    }

    /** Positions this store can hold before it drops the oldest. */
    public int capacity() {
        return head.capacity();
    }

    /**
     * An immutable view of what has been published so far: O(1), no copying, no recounting (and the same
     * instance until something changes).
     */
    public TraceSnapshot view() {
        long version = changes;
        CachedView c = cached;
        if (c.version() == version) {
            return c.view();
        }
        Head h = head;
        TraceSnapshot v = TraceSnapshot.EMPTY;
        if (h.shape() != null) {
            long bytes = (long) h.tokens().size()
                    * TokenTrace.bytesPerPosition(
                            h.shape().moeLayerCount(),
                            h.shape().routedExperts(),
                            h.shape().topK());
            v = new TraceSnapshot(h.shape(), h.tokens(), h.first(), h.capacity(), bytes, finishReason, h.counts());
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
    private record Head(
            ModelShape shape,
            int capacity,
            int published,
            int first,
            List<TokenTrace> tokens,
            RoutingAccumulator source) {
        static final Head NONE = new Head(null, 0, 0, 0, List.of(), null);

        /**
         * The counters now, copied when a view is taken (at most once per change and reader), not at every token:
         * copying O(layers × E) counters per token was most of the time of a long replay or import.
         */
        RoutingCounts counts() {
            return source == null ? RoutingCounts.EMPTY : source.counts();
        }
    }

    private record CachedView(long version, TraceSnapshot view) {}
}
