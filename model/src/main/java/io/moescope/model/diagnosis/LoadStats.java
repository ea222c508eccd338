package io.moescope.model.diagnosis;

/**
 * How evenly one set of token×slot assignments spread over the routed experts.
 *
 * @param counts       assignments per expert c_i [E]
 * @param share        c_i / Σc [E] (all 0 when nothing was routed)
 * @param maxMean      max c / mean c (1 = perfect, E when one expert takes everything)
 * @param minMean      min c / mean c (0 when an expert is dead)
 * @param cv           coefficient of variation std(c)/mean(c), population std
 * @param balancedness mean c / max c, as SGLang and vLLM log it (1 = perfect, 1/E = one expert takes all)
 * @param maxVio       (max c − mean c) / mean c (Wang et al. 2408.15664)
 * @param loadEntropy  H(c/Σc) / ln E in [0, 1] (1 = uniform)
 * @param gini         Gini coefficient of c (0 = uniform, (E−1)/E = everything on one expert)
 * @param dead         experts with c_i = 0, ascending
 * @param hot          experts with c_i ≥ 2·mean c, ascending
 */
public record LoadStats(
        long[] counts,
        double[] share,
        double maxMean,
        double minMean,
        double cv,
        double balancedness,
        double maxVio,
        double loadEntropy,
        double gini,
        int[] dead,
        int[] hot) {

    public LoadStats {
        counts = counts.clone();
        share = share.clone();
        dead = dead.clone();
        hot = hot.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public double[] share() {
        return share.clone();
    }

    @Override
    public int[] dead() {
        return dead.clone();
    }

    @Override
    public int[] hot() {
        return hot.clone();
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
