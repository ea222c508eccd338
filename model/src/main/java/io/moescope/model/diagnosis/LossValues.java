package io.moescope.model.diagnosis;

/**
 * The balance losses of one MoE layer over the observed tokens, all with α = 1 (see {@link LossDefinition}
 * for each formula and what uniform routing gives). NaN where a loss does not apply or there were no tokens.
 *
 * @param deepseekExpertAlpha deepseekExpert × the config's aux_loss_alpha, NaN if the config has none
 */
public record LossValues(
        double switchAux,
        double gshardAux,
        double transformersAux,
        double deepseekExpert,
        double deepseekExpertAlpha,
        double deepseekDevice,
        double deepseekV2Comm,
        double deepseekV3Seq,
        double zLoss) {

    /** Value of the loss named by a definition. */
    public double get(LossDefinition d) {
        switch (d) {
            case SWITCH_AUX:
                return switchAux;
            case GSHARD_AUX:
                return gshardAux;
            case TRANSFORMERS_AUX:
                return transformersAux;
            case DEEPSEEK_EXPERT:
                return deepseekExpert;
            case DEEPSEEK_DEVICE:
                return deepseekDevice;
            case DEEPSEEK_V2_COMM:
                return deepseekV2Comm;
            case DEEPSEEK_V3_SEQ:
                return deepseekV3Seq;
            case Z_LOSS:
                return zLoss;
            default:
                throw new IllegalArgumentException(d.name());
        }
    }

    /** Mean of each loss over layers (NaN-free layers only). */
    public static LossValues mean(java.util.List<LossValues> layers) {
        double[][] v = new double[9][layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            LossValues x = layers.get(l);
            double[] row = {
                x.switchAux,
                x.gshardAux,
                x.transformersAux,
                x.deepseekExpert,
                x.deepseekExpertAlpha,
                x.deepseekDevice,
                x.deepseekV2Comm,
                x.deepseekV3Seq,
                x.zLoss
            };
            for (int i = 0; i < 9; i++) {
                v[i][l] = row[i];
            }
        }
        double[] m = new double[9];
        for (int i = 0; i < 9; i++) {
            m[i] = java.util.Arrays.stream(v[i])
                    .filter(d -> !Double.isNaN(d))
                    .average()
                    .orElse(Double.NaN);
        }
        return new LossValues(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
    }
}
