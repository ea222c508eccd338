package io.moescope.app.diagnosis;

import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.LoadStats;
import io.moescope.model.diagnosis.LossValues;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One MoE layer in the diagnosis table.
 *
 * @param deviceLoss DeepSeek device-level loss for the chosen D
 * @param dropped    dropped token-slot fraction at the chosen capacity factor
 */
public record DiagnosisRow(
        int layer,
        long tokens,
        double maxMean,
        double cv,
        double balancedness,
        double loadEntropy,
        double gini,
        int[] dead,
        int[] hot,
        double switchAux,
        double deepseekExpert,
        double deviceLoss,
        double v3Sequence,
        double zLoss,
        double dropped) {

    public static DiagnosisRow of(LayerReport l, int topK, int devices, double capacityFactor) {
        LoadStats s = l.load();
        LossValues v = l.losses();
        return new DiagnosisRow(
                l.layer(),
                l.tokens(),
                s.maxMean(),
                s.cv(),
                s.balancedness(),
                s.loadEntropy(),
                s.gini(),
                s.dead(),
                s.hot(),
                v.switchAux(),
                v.deepseekExpert(),
                DiagnosisMath.deviceLoss(l, topK, devices),
                v.deepseekV3Seq(),
                v.zLoss(),
                DiagnosisMath.dropped(l, capacityFactor));
    }

    /** Column titles, in {@link #cells()} order (CSV header names). */
    public static final List<String> HEADERS = List.of(
            "Layer",
            "Tokens",
            "Max/mean",
            "CV",
            "Balancedness",
            "Entropy",
            "Gini",
            "Dead",
            "Hot",
            "Switch aux",
            "DS expert",
            "DS device",
            "V3 seq",
            "z-loss",
            "Dropped");

    /** Short column titles for the table. */
    public static final List<String> SHORT = List.of(
            "Layer", "Tok", "max/μ", "CV", "bal", "H/lnE", "Gini", "dead", "hot", "Switch", "DS-exp", "DS-dev",
            "V3-seq", "z", "drop");

    /** What each column means (table header tooltips). */
    public static final List<String> TIPS = List.of(
            "Decoder layer",
            "Tokens routed through the layer",
            "Busiest expert's count / mean count (1 = even)",
            "Coefficient of variation of the counts",
            "Balancedness = mean / max count (1 = even, 1/E = one expert takes all)",
            "Load entropy / ln E (1 = even)",
            "Gini coefficient of the counts (0 = even)",
            "Dead experts (never chosen)",
            "Hot experts (chosen ≥ 2 × mean)",
            "Switch Transformer aux loss, α = 1 (uniform: 1)",
            "DeepSeek expert-level loss, α = 1 (uniform: k)",
            "DeepSeek device-level loss for the chosen D (contiguous split)",
            "DeepSeek-V3 sequence-wise loss, mean over sequences",
            "Router z-loss: mean (logsumexp z)²",
            "Dropped token-slots at the chosen capacity factor (capacity ⌈C·T·k/E⌉ per sequence)");

    /** The row as display strings. */
    public List<String> cells() {
        return List.of(
                String.valueOf(layer),
                String.valueOf(tokens),
                num(maxMean, 2),
                num(cv, 3),
                num(balancedness, 3),
                num(loadEntropy, 3),
                num(gini, 3),
                experts(dead),
                experts(hot),
                num(switchAux, 3),
                num(deepseekExpert, 3),
                num(deviceLoss, 3),
                num(v3Sequence, 3),
                num(zLoss, 1),
                Double.isNaN(dropped) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * dropped));
    }

    /** Full-precision CSV line (experts separated by spaces). */
    public String csv() {
        return String.join(
                ",",
                String.valueOf(layer),
                String.valueOf(tokens),
                raw(maxMean),
                raw(cv),
                raw(balancedness),
                raw(loadEntropy),
                raw(gini),
                list(dead),
                list(hot),
                raw(switchAux),
                raw(deepseekExpert),
                raw(deviceLoss),
                raw(v3Sequence),
                raw(zLoss),
                raw(dropped));
    }

    static String num(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String experts(int[] e) {
        if (e.length == 0) {
            return "–";
        }
        return e.length > 3 ? e.length + " exp" : list(e);
    }

    private static String list(int[] e) {
        return Arrays.stream(e).mapToObj(String::valueOf).collect(Collectors.joining(" "));
    }
}
