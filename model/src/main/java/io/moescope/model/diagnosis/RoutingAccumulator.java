package io.moescope.model.diagnosis;

import io.moescope.model.trace.ExpertCounts;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TraceSink} that folds routing decisions into running per-layer statistics: counts, score sums,
 * co-activation, per-chunk (= per-sequence) losses and what-ifs, rolling windows and per-domain counts.
 * Memory does not grow with the number of tokens. Each sequence of the trace is one chunk.
 *
 * <p>Threading: one writer feeds it; any other thread may take {@link #counts()} (a cheap copy of the counters)
 * or {@link #copy()} (a deep copy to build a report from, e.g. the live diagnosis) while it runs. Every method
 * holds the accumulator's lock, which the writer takes once per event, uncontended but for those copies.
 */
public final class RoutingAccumulator implements TraceSink {

    private final DiagnosisOptions options;
    private ModelShape shape;
    private LayerAccumulator[] layers;
    private final Map<String, long[][]> domainCounts = new LinkedHashMap<>();
    private final Map<String, Long> domainTokens = new LinkedHashMap<>();
    private String domain = "corpus";
    private long[][] currentDomain;
    private volatile long tokens;
    private long sequences;
    private boolean inChunk;

    /** A deep copy of {@code other}, taken under its lock; it then accumulates independently. */
    private RoutingAccumulator(RoutingAccumulator other) {
        options = other.options;
        shape = other.shape;
        domain = other.domain;
        tokens = other.tokens;
        sequences = other.sequences;
        inChunk = other.inChunk;
        domainTokens.putAll(other.domainTokens);
        other.domainCounts.forEach((name, counts) -> {
            long[][] copy = new long[counts.length][];
            for (int i = 0; i < counts.length; i++) {
                copy[i] = counts[i].clone();
            }
            domainCounts.put(name, copy);
        });
        currentDomain = domainCounts.get(domain);
        if (other.layers != null) {
            layers = new LayerAccumulator[other.layers.length];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new LayerAccumulator(other.layers[i]);
            }
        }
    }

    /** @param shape the model's shape, or null to take it from the first SequenceStarted (trace replay) */
    public RoutingAccumulator(ModelShape shape, DiagnosisOptions options) {
        this.options = options;
        if (shape != null) {
            init(shape);
        }
    }

    private void init(ModelShape s) {
        if (options.lossDevices() > 0) {
            BalanceLosses.checkDevices(s.routedExperts(), options.lossDevices());
        }
        shape = s;
        int[] moe = s.moeLayers();
        layers = new LayerAccumulator[moe.length];
        for (int i = 0; i < moe.length; i++) {
            layers[i] = new LayerAccumulator(moe[i], s.routedExperts(), s.topK(), options);
        }
        setDomain(domain);
    }

    /** Tokens after this call count for the named domain (a corpus file). */
    public synchronized void setDomain(String name) {
        domain = name;
        if (shape != null) {
            currentDomain = domainCounts.computeIfAbsent(name, n -> new long[layers.length][shape.routedExperts()]);
            domainTokens.putIfAbsent(name, 0L);
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public synchronized void accept(TraceEvent event) {
        if (event instanceof RoutingDecision d) {
            int i = shape.moeIndex(d.layer());
            if (i < 0) {
                throw new IllegalArgumentException(
                        "routing event for layer " + d.layer() + ", which is not an MoE layer of " + shape);
            }
            layers[i].add(d);
            for (int e : d.experts()) {
                currentDomain[i][e]++;
            }
            if (i == 0) {
                tokens++;
                domainTokens.merge(domain, 1L, Long::sum);
            }
        } else if (event instanceof ExpertCounts c) {
            int i = shape.moeIndex(c.layer());
            if (i < 0) {
                throw new IllegalArgumentException(
                        "counts for layer " + c.layer() + ", which is not an MoE layer of " + shape);
            }
            long[] counts = c.counts();
            layers[i].addCounts(counts);
            for (int e = 0; e < counts.length; e++) {
                currentDomain[i][e] += counts[e];
            }
            if (i == 0) {
                long t = c.total() / shape.topK();
                tokens += t;
                domainTokens.merge(domain, t, Long::sum);
            }
        } else if (event instanceof SequenceStarted s) {
            endChunk();
            if (shape == null) {
                init(s.shape());
            } else if (s.shape().routedExperts() != shape.routedExperts()
                    || s.shape().topK() != shape.topK()
                    || !java.util.Arrays.equals(s.shape().moeLayers(), shape.moeLayers())) {
                throw new IllegalArgumentException(
                        "a sequence of shape " + s.shape() + " does not match the diagnosed shape " + shape);
            }
            inChunk = true;
        } else if (event instanceof SequenceFinished) {
            endChunk();
        }
    }

    /**
     * An imported recording's id-only routing in columns: the same sums as its events one by one, taken one layer
     * at a time (each layer's co-activation counters stay in cache instead of all layers' cycling per token).
     */
    @Override
    public synchronized void acceptBlock(RoutingBlock block) {
        if (shape == null || !java.util.Arrays.equals(block.moeLayers(), shape.moeLayers())) {
            throw new IllegalArgumentException("a routing block for MoE layers "
                    + java.util.Arrays.toString(block.moeLayers()) + " does not match the diagnosed shape " + shape);
        }
        if (block.topK() != shape.topK()) {
            throw new IllegalArgumentException(
                    "a routing block of top-" + block.topK() + " for a top-" + shape.topK() + " model");
        }
        int n = block.tokens();
        int[][] experts = block.experts();
        for (int i = 0; i < layers.length; i++) {
            layers[i].addIds(experts[i], n);
            long[] domainRow = currentDomain[i];
            for (int e : experts[i]) {
                domainRow[e]++;
            }
        }
        tokens += n;
        domainTokens.merge(domain, (long) n, Long::sum);
    }

    private void endChunk() {
        if (inChunk) {
            for (LayerAccumulator l : layers) {
                l.endChunk();
            }
            sequences++;
            inChunk = false;
        }
    }

    /** Closes a chunk left open (a trace cut short); call before reading the results. */
    public synchronized void finish() {
        endChunk();
    }

    /**
     * A deep copy of everything gathered so far, to finish and report on without disturbing this one (O(layers ×
     * (E² + window·k + chunk·k)), no events replayed).
     */
    public synchronized RoutingAccumulator copy() {
        return new RoutingAccumulator(this);
    }

    /** The expert counts and mean routing entropy so far: O(layers × experts), for views that refresh often. */
    public synchronized RoutingCounts counts() {
        if (shape == null) {
            return RoutingCounts.EMPTY;
        }
        int e = shape.routedExperts();
        long[] counts = new long[layers.length * e];
        double entropy = 0;
        int terms = 0;
        for (int i = 0; i < layers.length; i++) {
            layers[i].countsInto(counts, i * e);
            if (layers[i].tokens() > 0) {
                entropy += layers[i].entropySum() / layers[i].tokens();
                terms++;
            }
        }
        return new RoutingCounts(shape.moeLayers(), e, tokens, counts, terms == 0 ? 0 : entropy / terms);
    }

    /** Tokens seen so far (routed through the first MoE layer); safe to read from any thread. */
    public long tokens() {
        return tokens;
    }

    public synchronized long sequences() {
        return sequences;
    }

    /** The model shape, null until the first sequence of a replayed trace. */
    public synchronized ModelShape shape() {
        return shape;
    }

    public DiagnosisOptions options() {
        return options;
    }

    /** One report per MoE layer (closes an open chunk first). */
    public synchronized List<LayerReport> layerReports() {
        finish();
        List<LayerReport> out = new ArrayList<>();
        if (layers != null) {
            for (LayerAccumulator l : layers) {
                out.add(l.report());
            }
        }
        return out;
    }

    /** Per-domain counts [MoE layer][expert], in the order the domains were first set. */
    public synchronized Map<String, long[][]> domainCounts() {
        Map<String, long[][]> out = new LinkedHashMap<>();
        domainCounts.forEach((k, v) -> {
            if (domainTokens.getOrDefault(k, 0L) > 0) {
                long[][] copy = new long[v.length][];
                for (int i = 0; i < v.length; i++) {
                    copy[i] = v[i].clone();
                }
                out.put(k, copy);
            }
        });
        return out;
    }

    public synchronized Map<String, Long> domainTokens() {
        Map<String, Long> out = new LinkedHashMap<>(domainTokens);
        out.values().removeIf(v -> v == 0);
        return out;
    }
}
