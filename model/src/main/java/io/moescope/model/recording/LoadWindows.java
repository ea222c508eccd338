package io.moescope.model.recording;

import io.moescope.model.diagnosis.BalanceMetrics;
import io.moescope.model.diagnosis.LoadStats;
import io.moescope.model.trace.ExpertCounts;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Step-over-time load of an imported recording. In the trace contract a <em>window</em> is a sequence that holds
 * only {@link ExpertCounts}: window k is the k-th such sequence, in sequence order. An SGLang stat dump is one window
 * (the recorder is cleared by every dump, so dumps written during a run are consecutive windows; the rows of one
 * dump are ring-buffer slots whose order is not saved, so they are summed), a per_pass dump gives one window per
 * forward pass, a count CSV one. Per-token sequences are not windows and are ignored here.
 *
 * <p>Bounded: at most {@code maxWindows} windows are kept (fewer when the model is wide, so that the kept counts
 * stay within {@code maxCells} longs); when one more arrives, neighbours are merged in pairs and every kept window
 * then covers twice as many recorded ones. One writer thread; read after the import.
 */
public final class LoadWindows implements TraceSink {

    /** Kept counts of the window's slider: 16 MiB of longs (DeepSeek-V3: 141 windows of 58 × 256). */
    public static final long DEFAULT_CELLS = 1L << 21;

    private final int maxWindows;
    private final long maxCells;
    private ModelShape shape;
    private int limit; // windows kept before merging, from maxWindows, maxCells and the shape
    private final List<long[][]> windows = new ArrayList<>(); // [window][MoE layer index][expert]
    private final List<Integer> covered = new ArrayList<>(); // recorded windows in each kept one
    private int span = 1; // recorded windows a full kept window holds
    private int recorded;
    private long[][] open; // counts of the sequence being read, null until its first ExpertCounts

    /** @param maxWindows at most this many windows kept (≥ 2) */
    public LoadWindows(int maxWindows, long maxCells) {
        if (maxWindows < 2 || maxCells < 2) {
            throw new IllegalArgumentException("keep at least 2 windows");
        }
        this.maxWindows = maxWindows;
        this.maxCells = maxCells;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof SequenceStarted s) {
            if (shape == null) {
                shape = s.shape();
                long perWindow = Math.max(1L, (long) shape.moeLayerCount() * shape.routedExperts());
                limit = (int) Math.max(2, Math.min(maxWindows, maxCells / perWindow));
            }
            open = null;
        } else if (event instanceof ExpertCounts c) {
            int i = shape.moeIndex(c.layer());
            if (i < 0) {
                return; // TraceOut never writes counts of a dense layer
            }
            if (open == null) {
                open = new long[shape.moeLayerCount()][shape.routedExperts()];
            }
            long[] counts = c.counts();
            for (int e = 0; e < counts.length && e < open[i].length; e++) {
                open[i][e] += counts[e];
            }
        } else if (event instanceof SequenceFinished && open != null) {
            add(open);
            open = null;
        }
    }

    /** Per-token routing is not a window: nothing to expand. */
    @Override
    public void acceptBlock(RoutingBlock block) {}

    private void add(long[][] w) {
        recorded++;
        int last = windows.size() - 1;
        if (last >= 0 && covered.get(last) < span) {
            plus(windows.get(last), w);
            covered.set(last, covered.get(last) + 1);
            return;
        }
        windows.add(w);
        covered.add(1);
        if (windows.size() > limit) {
            List<long[][]> merged = new ArrayList<>();
            List<Integer> mergedCovered = new ArrayList<>();
            for (int i = 0; i < windows.size(); i += 2) {
                long[][] m = windows.get(i);
                int n = covered.get(i);
                if (i + 1 < windows.size()) {
                    plus(m, windows.get(i + 1));
                    n += covered.get(i + 1);
                }
                merged.add(m);
                mergedCovered.add(n);
            }
            windows.clear();
            windows.addAll(merged);
            covered.clear();
            covered.addAll(mergedCovered);
            span *= 2;
        }
    }

    private static void plus(long[][] into, long[][] w) {
        for (int i = 0; i < into.length; i++) {
            for (int e = 0; e < into[i].length; e++) {
                into[i][e] += w[i][e];
            }
        }
    }

    /** Windows kept (0 when the recording holds no count sequence). */
    public int windows() {
        return windows.size();
    }

    /** Count sequences seen (the recorded windows). */
    public int recorded() {
        return recorded;
    }

    /** The shape the recording was imported with; null before the first sequence. */
    public ModelShape shape() {
        return shape;
    }

    /** Index of the first recorded window that kept window {@code w} covers. */
    public int firstRecorded(int w) {
        int first = 0;
        for (int i = 0; i < w; i++) {
            first += covered.get(i);
        }
        return first;
    }

    /** Recorded windows that kept window {@code w} covers. */
    public int coveredBy(int w) {
        return covered.get(w);
    }

    /** Counts [expert] of window {@code w} in MoE layer index {@code moeIndex} (a copy). */
    public long[] counts(int w, int moeIndex) {
        return windows.get(w)[moeIndex].clone();
    }

    /** Balance of window {@code w} in MoE layer index {@code moeIndex}. */
    public LoadStats stats(int w, int moeIndex) {
        return BalanceMetrics.of(windows.get(w)[moeIndex]);
    }

    /** Tokens in window {@code w}: its busiest layer's assignments over top-k (layers may have padding). */
    public long tokens(int w) {
        long most = 0;
        for (long[] layer : windows.get(w)) {
            long t = 0;
            for (long c : layer) {
                t += c;
            }
            most = Math.max(most, t);
        }
        return most / Math.max(1, shape.topK());
    }

    /** The MoE layer index with the largest max/mean in window {@code w} (the first on a tie). */
    public int worstLayer(int w) {
        int worst = 0;
        double most = -1;
        for (int i = 0; i < windows.get(w).length; i++) {
            double m = stats(w, i).maxMean();
            if (m > most) {
                most = m;
                worst = i;
            }
        }
        return worst;
    }
}
