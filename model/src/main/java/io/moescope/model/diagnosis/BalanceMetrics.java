package io.moescope.model.diagnosis;

import java.util.Arrays;

/** Load statistics of expert counts and distances between load distributions; pure functions. */
public final class BalanceMetrics {

    private BalanceMetrics() {}

    /** Every {@link LoadStats} field from the counts c[E]. An empty load (Σc = 0) counts as perfectly balanced. */
    public static LoadStats of(long[] counts) {
        int e = counts.length;
        if (e == 0) {
            throw new IllegalArgumentException("no experts");
        }
        double total = 0;
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c);
            }
            total += c;
            max = Math.max(max, c);
            min = Math.min(min, c);
        }
        double mean = total / e;
        double[] share = new double[e];
        double var = 0;
        for (int i = 0; i < e; i++) {
            share[i] = total > 0 ? counts[i] / total : 0;
            var += (counts[i] - mean) * (counts[i] - mean);
        }
        double std = Math.sqrt(var / e);
        int[] dead = Arrays.stream(indices(e)).filter(i -> counts[i] == 0).toArray();
        int[] hot = total > 0
                ? Arrays.stream(indices(e)).filter(i -> counts[i] >= 2 * mean).toArray()
                : new int[0];
        if (total == 0) {
            return new LoadStats(counts, share, 1, 1, 0, 1, 0, 1, 0, dead, hot);
        }
        return new LoadStats(
                counts,
                share,
                max / mean,
                min / mean,
                std / mean,
                mean / max,
                (max - mean) / mean,
                entropy(share) / Math.log(e),
                gini(counts),
                dead,
                hot);
    }

    /** Shannon entropy −Σ p ln p in nats (0·ln 0 = 0). */
    public static double entropy(double[] p) {
        double h = 0;
        for (double x : p) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return h;
    }

    /** Gini coefficient Σ_i Σ_j |x_i − x_j| / (2 n² mean), via the sorted form. 0 for an all-zero vector. */
    public static double gini(long[] x) {
        long[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            sum += s[i];
            weighted += (2.0 * (i + 1) - n - 1) * s[i];
        }
        return sum == 0 ? 0 : weighted / (n * sum);
    }

    /**
     * Jensen–Shannon divergence between two distributions, in bits (log base 2), so it lies in [0, 1].
     * Inputs need not be normalised; an all-zero input gives NaN.
     */
    public static double jensenShannon(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " entries");
        }
        double[] p = normalised(a);
        double[] q = normalised(b);
        if (p == null || q == null) {
            return Double.NaN;
        }
        double[] m = new double[p.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (p[i] + q[i]) / 2;
        }
        double js = entropy(m) - (entropy(p) + entropy(q)) / 2;
        return Math.max(0, js / Math.log(2));
    }

    /** mean / max of non-negative loads (1 when all are zero), the engines' "balancedness". */
    public static double balancedness(double[] loads) {
        double max = 0;
        double sum = 0;
        for (double x : loads) {
            max = Math.max(max, x);
            sum += x;
        }
        return max <= 0 ? 1 : sum / loads.length / max;
    }

    static double[] normalised(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        if (s <= 0) {
            return null;
        }
        double[] p = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            p[i] = a[i] / s;
        }
        return p;
    }

    static double[] toDoubles(long[] c) {
        double[] d = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            d[i] = c[i];
        }
        return d;
    }

    private static int[] indices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
