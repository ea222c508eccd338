package io.moescope.model.train;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation of an exported model: loss per domain on the last 5 % of each corpus file (equal number of
 * windows per domain) vs the unigram baseline, and per MoE layer the top-1 expert distribution per domain, its mean
 * pairwise Jensen–Shannon divergence, the load max/mean and the dead experts.
 */
public final class Validation {
    static final int SEQ = 128;
    static final int BATCH = 8;
    static final int MAX_WINDOWS = 32;

    private Validation() {}

    public static ValidationReport run(Path modelDir, Path corpusDir) throws IOException, ModelLoadException {
        Model m = ModelDir.load(modelDir, BATCH, SEQ);
        Corpus corpus = Corpus.load(Corpus.files(corpusDir), modelDir.resolve("tokenizer.json"), 0);
        List<Corpus.Domain> doms = corpus.domains();
        int windows = MAX_WINDOWS;
        for (Corpus.Domain d : doms) {
            windows = Math.min(windows, d.valid().length / SEQ);
        }
        if (windows < 1) {
            throw new IllegalArgumentException("validation slices are shorter than one window of " + SEQ + " tokens");
        }
        ModelConfig c = m.cfg;
        int e = c.nRouted();
        int[][] load = new int[c.layers()][e];
        double[][][] top1 = new double[c.layers()][doms.size()][e];
        double[][] ranks = new double[c.layers()][c.topK()]; // summed share of the j-th heaviest gate
        long ranked = 0;
        List<ValidationReport.DomainResult> domResults = new ArrayList<>();
        int[] ids = new int[BATCH * SEQ];
        int[] targets = new int[BATCH * SEQ];
        for (int di = 0; di < doms.size(); di++) {
            Corpus.Domain d = doms.get(di);
            double lossSum = 0;
            int count = 0;
            for (int w0 = 0; w0 < windows; w0 += BATCH) {
                int rows = Math.min(BATCH, windows - w0);
                for (int b = 0; b < BATCH; b++) {
                    int start = (w0 + Math.min(b, rows - 1)) * SEQ;
                    ids[b * SEQ] = c.bosId();
                    System.arraycopy(d.valid(), start, ids, b * SEQ + 1, SEQ - 1);
                    System.arraycopy(d.valid(), start, targets, b * SEQ, SEQ);
                }
                m.forward(ids, targets);
                for (int t = 0; t < rows * SEQ; t++) {
                    lossSum += m.rowLoss[t];
                }
                count += rows * SEQ;
                ranked += rows * SEQ;
                for (int l = 0; l < c.layers(); l++) {
                    if (m.moe[l] != null) {
                        Router r = m.moe[l].router;
                        for (int t = 0; t < rows * SEQ; t++) {
                            top1[l][di][r.sel[t * c.topK()]]++;
                            for (int j = 0; j < c.topK(); j++) {
                                load[l][r.sel[t * c.topK() + j]]++;
                            }
                            addRankShares(r.gate, t * c.topK(), c.topK(), ranks[l]);
                        }
                    }
                }
            }
            domResults.add(new ValidationReport.DomainResult(
                    d.name(), count, lossSum / count, unigram(d.train(), d.valid(), windows * SEQ, c.vocab())));
        }
        List<ValidationReport.LayerResult> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            if (m.moe[l] == null) {
                continue;
            }
            Map<String, double[]> dist = new LinkedHashMap<>();
            for (int di = 0; di < doms.size(); di++) {
                double s = 0;
                for (double v : top1[l][di]) {
                    s += v;
                }
                for (int x = 0; x < e; x++) {
                    top1[l][di][x] /= s;
                }
                dist.put(doms.get(di).name(), top1[l][di]);
            }
            double js = 0;
            int pairs = 0;
            for (int a = 0; a < doms.size(); a++) {
                for (int b = a + 1; b < doms.size(); b++) {
                    js += Metrics.jensenShannon(top1[l][a], top1[l][b]);
                    pairs++;
                }
            }
            int dead = 0;
            for (int v : load[l]) {
                dead += v == 0 ? 1 : 0;
            }
            double[] share = new double[c.topK()];
            for (int j = 0; j < share.length; j++) {
                share[j] = ranks[l][j] / ranked;
            }
            layers.add(new ValidationReport.LayerResult(
                    l, dist, pairs == 0 ? 0 : js / pairs, load[l], Metrics.maxOverMean(load[l]), dead, share));
        }
        return new ValidationReport(modelDir.toString(), windows, SEQ, domResults, layers);
    }

    /** Adds each chosen gate's share of the token's total gate weight, heaviest first, into sums [k]. */
    static void addRankShares(float[] gate, int from, int k, double[] sums) {
        float[] w = java.util.Arrays.copyOfRange(gate, from, from + k);
        java.util.Arrays.sort(w);
        double total = 0;
        for (float v : w) {
            total += v;
        }
        for (int j = 0; j < k && total > 0; j++) {
            sums[j] += w[k - 1 - j] / total;
        }
    }

    /** Cross-entropy (nats) of the first n validation tokens under the add-one-smoothed training unigram. */
    static double unigram(int[] train, int[] valid, int n, int vocab) {
        double[] counts = new double[vocab];
        java.util.Arrays.fill(counts, 1.0);
        for (int t : train) {
            counts[t]++;
        }
        double total = train.length + vocab;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum -= Math.log(counts[valid[i]] / total);
        }
        return sum / n;
    }
}
