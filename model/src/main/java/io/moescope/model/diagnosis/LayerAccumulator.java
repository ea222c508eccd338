package io.moescope.model.diagnosis;

import io.moescope.model.trace.RoutingDecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Running sums for one MoE layer. Memory is O(E² + window·k + chunk·k) whatever the number of tokens:
 * nothing per token is kept beyond the current chunk and the rolling window.
 */
final class LayerAccumulator {

    final int layer;
    private final int experts;
    private final int topK;
    private final DiagnosisOptions options;
    private long tokens;
    private long unscoredTokens; // tokens without the router's scores (imported recordings)
    private final long[] counts;
    private final long[] top1;
    private final double[] scoreSum; // Σ_t s_{t,i}
    private double entropySum; // Σ_t H(s'_t) / ln E
    private double zSquaredSum; // Σ_t (logsumexp z_t)²
    private final long[] coactivation; // [E·E], upper triangle only (i ≤ j): half the writes per token
    private final int[] recentPairs; // [E·E] as coactivation, added since the last flush: half the bytes in cache
    private int recentTokens; // tokens in recentPairs; flushed before a cell could overflow (≤ k² per token)
    private long biasTokens;
    private long biasChangedTokens;
    private long biasChangedSelections;
    private final long[] chunkCounts;
    private final double[] chunkNormalisedSum; // Σ_t s_{t,i} / Σ_j s_{t,j} within the chunk
    private int chunkTokens;
    private int[] chunkSelections = new int[1024];
    private double seqLossSum;
    private long sequences;
    private final CapacityWhatIf capacity;
    private final DeviceLimitedWhatIf deviceLimited;
    private final int[] ring; // last maxWindow tokens' experts [maxWindow·k]
    private long ringTokens;

    LayerAccumulator(int layer, int experts, int topK, DiagnosisOptions options) {
        this.layer = layer;
        this.experts = experts;
        this.topK = topK;
        this.options = options;
        counts = new long[experts];
        top1 = new long[experts];
        scoreSum = new double[experts];
        coactivation = new long[experts * experts];
        recentPairs = new int[experts * experts];
        chunkCounts = new long[experts];
        chunkNormalisedSum = new double[experts];
        capacity = new CapacityWhatIf(options.capacityFactors(), experts, topK);
        deviceLimited = options.lossDevices() > 0
                ? new DeviceLimitedWhatIf(experts, options.lossDevices(), options.deviceLimit())
                : null;
        ring = new int[Math.max(1, options.maxWindow()) * topK];
    }

    /** A deep copy: the same sums, chunk and window, accumulating independently from here on. */
    LayerAccumulator(LayerAccumulator o) {
        layer = o.layer;
        experts = o.experts;
        topK = o.topK;
        options = o.options;
        tokens = o.tokens;
        counts = o.counts.clone();
        top1 = o.top1.clone();
        scoreSum = o.scoreSum.clone();
        entropySum = o.entropySum;
        zSquaredSum = o.zSquaredSum;
        coactivation = o.coactivation.clone();
        recentPairs = o.recentPairs.clone();
        recentTokens = o.recentTokens;
        biasTokens = o.biasTokens;
        biasChangedTokens = o.biasChangedTokens;
        biasChangedSelections = o.biasChangedSelections;
        chunkCounts = o.chunkCounts.clone();
        chunkNormalisedSum = o.chunkNormalisedSum.clone();
        chunkTokens = o.chunkTokens;
        chunkSelections = Arrays.copyOf(o.chunkSelections, Math.max(1024, (o.chunkTokens + 1) * topK));
        seqLossSum = o.seqLossSum;
        sequences = o.sequences;
        capacity = o.capacity.copy();
        deviceLimited = o.deviceLimited == null ? null : o.deviceLimited.copy();
        ring = o.ring.clone();
        ringTokens = o.ringTokens;
    }

    /** Copies the counts c[E] into {@code target} from {@code offset}. */
    void countsInto(long[] target, int offset) {
        System.arraycopy(counts, 0, target, offset, experts);
    }

    long tokens() {
        return tokens;
    }

    /** Σ over tokens of the normalised score entropy H(s'_t) / ln E. */
    double entropySum() {
        return entropySum;
    }

    void add(RoutingDecision d) {
        int[] chosen = d.experts();
        float[] s = d.scores();
        if (chosen.length != topK || (s.length != experts && d.hasScores())) {
            throw new IllegalArgumentException("layer " + layer + ": " + chosen.length + " experts of " + s.length
                    + " but the model routes top-" + topK + " of " + experts);
        }
        tokens++;
        top1[chosen[0]]++;
        addSelections(chosen);
        if (!d.hasScores()) {
            unscoredTokens++;
            return;
        }
        double total = 0;
        for (int i = 0; i < experts; i++) {
            scoreSum[i] += s[i];
            total += s[i];
        }
        double h = 0;
        for (int i = 0; i < experts; i++) {
            double p = total > 0 ? s[i] / total : 0;
            chunkNormalisedSum[i] += p;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        entropySum += experts > 1 ? h / Math.log(experts) : 0;
        zSquaredSum += Math.pow(BalanceLosses.logSumExp(d.routerLogits()), 2);
        float[] c = d.selectionScores();
        if (c != null) {
            biasTokens++;
            int[] actual = chosen.clone();
            Arrays.sort(actual);
            int same = TopK.overlap(actual, TopK.indices(s, null, topK));
            biasChangedSelections += topK - same;
            biasChangedTokens += same == topK ? 0 : 1;
        }
        if (deviceLimited != null) {
            deviceLimited.add(c != null ? c : s, chosen);
        }
    }

    /**
     * Counts recorded without per-token detail (an imported stat dump): they add to the load, and to the token
     * count as Σ/k tokens without scores, so score-based results of the layer become NaN.
     */
    void addCounts(long[] recorded) {
        if (recorded.length != experts) {
            throw new IllegalArgumentException(
                    "layer " + layer + ": " + recorded.length + " counts for " + experts + " experts");
        }
        long total = 0;
        for (int e = 0; e < experts; e++) {
            counts[e] += recorded[e];
            total += recorded[e];
        }
        tokens += total / topK;
        unscoredTokens += total / topK;
    }

    /**
     * n tokens of one block, chosen experts only (an imported recording): ids[t·k + j]. The same sums as n
     * {@link #add} calls of id-only decisions, one layer at a time (its counters stay in cache).
     */
    void addIds(int[] ids, int n) {
        if (ids.length != n * topK) {
            throw new IllegalArgumentException(
                    "layer " + layer + ": " + ids.length + " ids for " + n + " tokens of top-" + topK);
        }
        for (int id : ids) {
            if (id < 0 || id >= experts) {
                throw new IllegalArgumentException("layer " + layer + ": expert " + id + " of " + experts);
            }
        }
        int need = (chunkTokens + n) * topK;
        if (chunkSelections.length < need) {
            chunkSelections = Arrays.copyOf(chunkSelections, Math.max(need, chunkSelections.length * 2));
        }
        for (int t = 0; t < n; t++) {
            top1[ids[t * topK]]++;
            addSelections(ids, t * topK);
        }
        tokens += n;
        unscoredTokens += n;
    }

    /** Counts, chunk selections, rolling window and co-activation of one token's chosen experts. */
    private void addSelections(int[] chosen) {
        addSelections(chosen, 0);
    }

    /** As {@link #addSelections(int[])} for the token's k experts at {@code chosen[from..from+k)}. */
    private void addSelections(int[] chosen, int from) {
        if (chunkSelections.length < (chunkTokens + 1) * topK) {
            chunkSelections = Arrays.copyOf(chunkSelections, chunkSelections.length * 2);
        }
        int slot = (int) (ringTokens % (ring.length / topK)) * topK;
        for (int j = 0; j < topK; j++) {
            int e = chosen[from + j];
            counts[e]++;
            chunkCounts[e]++;
            chunkSelections[chunkTokens * topK + j] = e;
            ring[slot + j] = e;
            recentPairs[e * experts + e]++;
            for (int j2 = j + 1; j2 < topK; j2++) {
                int f = chosen[from + j2];
                if (e == f) {
                    recentPairs[e * experts + e] += 2; // a repeated id counts as both orders
                } else {
                    recentPairs[Math.min(e, f) * experts + Math.max(e, f)]++;
                }
            }
        }
        ringTokens++;
        chunkTokens++;
        if (++recentTokens >= Integer.MAX_VALUE / (topK * topK)) {
            flushPairs();
        }
    }

    /** Moves the recent pair counts into the long totals. */
    private void flushPairs() {
        for (int i = 0; i < recentPairs.length; i++) {
            coactivation[i] += recentPairs[i];
        }
        Arrays.fill(recentPairs, 0);
        recentTokens = 0;
    }

    /** Closes the current chunk (= sequence): sequence-wise loss and capacity what-if. */
    void endChunk() {
        if (chunkTokens > 0) {
            seqLossSum += unscoredTokens > 0
                    ? Double.NaN
                    : BalanceLosses.deepseekExpert(chunkCounts, chunkNormalisedSum, chunkTokens, topK);
            sequences++;
            capacity.addChunk(chunkSelections, chunkTokens);
        }
        Arrays.fill(chunkCounts, 0);
        Arrays.fill(chunkNormalisedSum, 0);
        chunkTokens = 0;
    }

    LayerReport report() {
        boolean scored = unscoredTokens == 0;
        LossValues losses = scored
                ? losses()
                : new LossValues(
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN);
        double[] meanScore = new double[experts];
        for (int i = 0; i < experts; i++) {
            meanScore[i] = !scored ? Double.NaN : tokens == 0 ? 0 : scoreSum[i] / tokens;
        }
        long[][] co = new long[experts][];
        for (int i = 0; i < experts; i++) {
            co[i] = new long[experts];
            for (int j = 0; j < experts; j++) {
                int at = Math.min(i, j) * experts + Math.max(i, j);
                co[i][j] = coactivation[at] + recentPairs[at];
            }
        }
        LayerReport.BiasEffect bias = biasTokens == 0
                ? null
                : new LayerReport.BiasEffect(
                        biasTokens,
                        (double) biasChangedTokens / biasTokens,
                        (double) biasChangedSelections / (biasTokens * topK));
        return new LayerReport(
                layer,
                tokens,
                BalanceMetrics.of(counts),
                meanScore,
                tokens == 0 || !scored ? Double.NaN : entropySum / tokens,
                losses,
                windows(),
                List.of(capacity.results()),
                deviceLimited == null ? null : deviceLimited.result(),
                bias,
                co);
    }

    private LossValues losses() {
        double expert = BalanceLosses.deepseekExpert(counts, scoreSum, tokens, topK);
        double device = Double.NaN;
        double comm = Double.NaN;
        if (deviceLimited != null) {
            device = BalanceLosses.deepseekDevice(counts, scoreSum, tokens, topK, deviceLimited.devices());
            comm = BalanceLosses.deepseekComm(deviceLimited.deviceTokens(), scoreSum, tokens, deviceLimited.limit());
        }
        return new LossValues(
                BalanceLosses.switchAux(top1, scoreSum, tokens),
                BalanceLosses.gshardAux(top1, scoreSum, tokens),
                BalanceLosses.transformersAux(counts, scoreSum, tokens),
                expert,
                expert * options.auxLossAlpha(),
                device,
                comm,
                sequences == 0 ? Double.NaN : seqLossSum / sequences,
                BalanceLosses.zLoss(zSquaredSum, tokens));
    }

    private List<LayerReport.WindowStats> windows() {
        List<LayerReport.WindowStats> out = new ArrayList<>();
        int capacityTokens = ring.length / topK;
        for (int w : options.windows()) {
            long n = Math.min(Math.min(w, ringTokens), capacityTokens);
            long[] c = new long[experts];
            for (long t = ringTokens - n; t < ringTokens; t++) {
                int slot = (int) (t % capacityTokens) * topK;
                for (int j = 0; j < topK; j++) {
                    c[ring[slot + j]]++;
                }
            }
            LoadStats s = BalanceMetrics.of(c);
            out.add(new LayerReport.WindowStats(w, n, s.maxMean(), s.cv(), s.balancedness()));
        }
        return out;
    }
}
