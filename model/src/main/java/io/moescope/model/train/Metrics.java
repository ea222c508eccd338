package io.moescope.model.train;

/** Small statistics shared by the training log and validation. */
final class Metrics {
    private Metrics() {}

    /** max_i c_i / mean_i c_i (0 for an empty vector). */
    static double maxOverMean(int[] c) {
        if (c.length == 0) {
            return 0;
        }
        long sum = 0;
        int max = 0;
        for (int v : c) {
            sum += v;
            max = Math.max(max, v);
        }
        return sum == 0 ? 0 : max / (sum / (double) c.length);
    }

    /** Jensen–Shannon divergence in bits (base 2, in [0, 1]) of two probability vectors. */
    static double jensenShannon(double[] p, double[] q) {
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double m = 0.5 * (p[i] + q[i]);
            if (p[i] > 0) {
                js += 0.5 * p[i] * Math.log(p[i] / m);
            }
            if (q[i] > 0) {
                js += 0.5 * q[i] * Math.log(q[i] / m);
            }
        }
        return js / Math.log(2);
    }
}
