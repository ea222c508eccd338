package io.moescope.app.load;

/**
 * How evenly one MoE layer spread its choices over the experts.
 *
 * @param layer        decoder layer number
 * @param choices      expert choices counted (tokens × k)
 * @param maxOverMean  the busiest expert's count over the mean count (1 = perfectly even)
 * @param cv           coefficient of variation of the counts (std / mean; 0 = even)
 * @param entropy      entropy of the load distribution over ln E, in [0, 1] (1 = even)
 * @param dead         experts never chosen
 */
public record LayerBalance(int layer, long choices, double maxOverMean, double cv, double entropy, int dead) {

    /** Balance figures of one layer's counts. */
    public static LayerBalance of(int layer, int[] counts) {
        long total = 0;
        int max = 0;
        int dead = 0;
        for (int c : counts) {
            total += c;
            max = Math.max(max, c);
            dead += c == 0 ? 1 : 0;
        }
        int n = counts.length;
        if (total == 0 || n == 0) {
            return new LayerBalance(layer, 0, 0, 0, 0, n);
        }
        double mean = (double) total / n;
        double var = 0;
        double h = 0;
        for (int c : counts) {
            var += (c - mean) * (c - mean);
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        double cv = Math.sqrt(var / n) / mean;
        return new LayerBalance(layer, total, max / mean, cv, n > 1 ? h / Math.log(n) : 1, dead);
    }
}
