package io.moescope.model.train;

import java.util.Locale;
import java.util.Map;

/**
 * Progress at a logged step (values averaged over the steps since the previous log line).
 *
 * @param domainLoss cross-entropy per domain
 * @param imbalance  per MoE layer (index = layer number, dense layers 0): max/mean expert load
 * @param loads      per MoE layer expert load counts (top-k slots) summed over the same steps ([layers][E], dense
 *                   layers empty)
 */
public record StepReport(
        int step,
        int totalSteps,
        double loss,
        Map<String, Double> domainLoss,
        double balanceLoss,
        double tokensPerSecond,
        double stepMillis,
        double lr,
        double gradNorm,
        double[] imbalance,
        int[][] loads) {

    /** One console line. */
    public String format() {
        StringBuilder sb =
                new StringBuilder(String.format(Locale.ROOT, "step %d/%d loss %.4f", step, totalSteps, loss));
        for (Map.Entry<String, Double> e : domainLoss.entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), e.getValue()));
        }
        sb.append(String.format(
                Locale.ROOT,
                " bal %.4f | %.0f tok/s %.0f ms/step lr %.2e gn %.2f | max/mean",
                balanceLoss,
                tokensPerSecond,
                stepMillis,
                lr,
                gradNorm));
        for (int l = 0; l < imbalance.length; l++) {
            if (loads[l].length > 0) {
                sb.append(String.format(Locale.ROOT, " L%d %.2f", l, imbalance[l]));
            }
        }
        return sb.toString();
    }
}
