package io.moescope.app.load;

import io.moescope.model.diagnosis.BalanceMetrics;
import io.moescope.model.diagnosis.LoadStats;

/**
 * One row of the balance table: how evenly one MoE layer spread its choices over the experts. The figures are
 * {@link BalanceMetrics}' (the same numbers as the CLI and the report, empty layers included: nothing routed
 * counts as perfectly even, every expert dead); this record only keeps the ones the table shows, as values a
 * table can compare row by row.
 *
 * @param layer        decoder layer number
 * @param choices      expert choices counted (tokens × k)
 * @param maxOverMean  the busiest expert's count over the mean count (1 = perfectly even)
 * @param cv           coefficient of variation of the counts (std / mean; 0 = even)
 * @param entropy      entropy of the load distribution over ln E, in [0, 1] (1 = even)
 * @param dead         experts never chosen
 */
public record LayerBalance(int layer, long choices, double maxOverMean, double cv, double entropy, int dead) {

    /** The table row of one layer's counts c[E]. */
    public static LayerBalance of(int layer, long[] counts) {
        LoadStats s = BalanceMetrics.of(counts);
        return new LayerBalance(layer, s.total(), s.maxMean(), s.cv(), s.loadEntropy(), s.dead().length);
    }
}
