package io.moescope.model.diagnosis;

import java.util.List;

/**
 * Everything the diagnosis found for one MoE layer.
 *
 * @param layer         decoder layer index
 * @param meanScore     P_i = mean score of each expert over the tokens [E]
 * @param scoreEntropy  mean per-token entropy of the (normalised) score distribution, / ln E
 * @param deviceLimited null when no device split was asked for
 * @param bias          null when the model has no selection bias
 * @param coactivation  [E][E]: off-diagonal = tokens that chose both experts, diagonal = c_i
 */
public record LayerReport(
        int layer,
        long tokens,
        LoadStats load,
        double[] meanScore,
        double scoreEntropy,
        LossValues losses,
        List<WindowStats> windows,
        List<CapacityWhatIf.CapacityResult> capacity,
        DeviceLimitedWhatIf.Result deviceLimited,
        BiasEffect bias,
        long[][] coactivation) {

    /** Load over the last {@code window} tokens (fewer while fewer were seen). */
    public record WindowStats(int window, long tokens, double maxMean, double cv, double balancedness) {}

    /**
     * How often the selection bias (noaux_tc) changed the chosen set versus the unbiased top-k.
     *
     * @param changedTokenFraction     tokens whose set differs
     * @param changedSelectionFraction chosen experts that the unbiased top-k would not have chosen
     */
    public record BiasEffect(long tokens, double changedTokenFraction, double changedSelectionFraction) {}
}
