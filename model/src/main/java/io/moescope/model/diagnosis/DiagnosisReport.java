package io.moescope.model.diagnosis;

import java.util.List;

/**
 * The whole diagnosis: per-layer findings, the overall view, domains and the placement what-if.
 *
 * @param alwaysOn         what runs on every token, where ({@link io.moescope.model.trace.ModelShape#describeAlwaysOn()})
 * @param expertGroups     routing groups of group-limited routing (n_group), 1 if the model has none
 * @param domainDivergence [domain][domain] Jensen–Shannon divergence (bits) of the expert loads, mean over layers
 * @param placement        null when no GPU count was given
 */
public record DiagnosisReport(
        String modelType,
        int routedExperts,
        int topK,
        int sharedExperts,
        String alwaysOn,
        int expertGroups,
        int[] moeLayers,
        long tokens,
        long sequences,
        DiagnosisOptions options,
        List<LayerReport> layers,
        Overall overall,
        List<DomainReport> domains,
        double[][] domainDivergence,
        PlacementAnalysis.Result placement,
        RunInfo run) {

    /**
     * All layers together.
     *
     * @param load                   load statistics of the counts summed over layers
     * @param meanLayerBalancedness  mean over layers of each layer's mean/max
     * @param scoreEntropy           mean over layers of the per-token score entropy (/ ln E)
     * @param losses                 mean over layers of each loss
     */
    public record Overall(LoadStats load, double meanLayerBalancedness, double scoreEntropy, LossValues losses) {}

    /**
     * One corpus file.
     *
     * @param share       [layer][expert] load share within the domain
     * @param topExperts  [layer][up to 3] experts with the highest share, best first
     */
    public record DomainReport(String name, long tokens, double[][] share, int[][] topExperts) {}

    /**
     * How the run went.
     *
     * @param sources      corpus files or the trace file
     * @param cancelled    true if the run was stopped early (the report covers the tokens processed)
     * @param skippedLines lines skipped because they were not valid UTF-8
     */
    public record RunInfo(
            List<String> sources, boolean cancelled, double seconds, long skippedLines, List<String> warnings) {

        public RunInfo {
            sources = List.copyOf(sources);
            warnings = List.copyOf(warnings);
        }

        public static RunInfo of(List<String> sources) {
            return new RunInfo(sources, false, 0, 0, List.of());
        }
    }
}
