package io.moescope.app.teach;

import io.moescope.model.api.LayerCapture;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import java.util.Locale;

/**
 * The architecture's own routing variant, in words: which scores, which selection, which weights, which always-on
 * part. Built from the engine's routing rule where a capture exists, else read off the trace (its shape and the
 * numbers of one decision: scores summing to 1 are a softmax, weights proportional to the chosen scores show
 * normalisation and scaling).
 *
 * @param family        display name of the model family (Mixtral, Qwen2-MoE, DeepSeek-V3, …)
 * @param softmax       softmax scores (else sigmoid)
 * @param topKFirst     gpt-oss: top-k over the logits, then a softmax over the k
 * @param selectionBias a bias is added to the scores for choosing only (DeepSeek-V3)
 * @param groups        expert groups (1: none)
 * @param keptGroups    groups kept per token
 * @param groupByTop2   a group's score is the sum of its two best (noaux_tc), else its best
 * @param experts       routed experts E
 * @param topK          chosen experts k
 * @param normalize     chosen weights divided by their sum
 * @param scale         factor on the weights after that (1: none)
 * @param shared        shared (always-on) experts
 * @param sharedGate    the shared part is multiplied by sigmoid(w_g · x) (Qwen2-MoE)
 * @param fineGrained   DeepSeekMoE's fine-grained experts
 */
public record RoutingVariant(String family, boolean softmax, boolean topKFirst, boolean selectionBias, int groups,
                             int keptGroups, boolean groupByTop2, int experts, int topK, boolean normalize,
                             double scale, int shared, boolean sharedGate, boolean fineGrained) {

    /** The exact variant of a captured layer. */
    public static RoutingVariant of(ModelShape shape, LayerCapture c) {
        LayerCapture.Rule r = c.rule();
        return new RoutingVariant(familyName(shape.modelType()), r.softmax(), isGptOss(shape), c.selectionBias() != null,
                r.groups(), r.topkGroup(), r.method().equals("noaux_tc"), c.expertCount(), r.topK(), r.normalize(),
                r.scales() ? r.scale() : 1.0, c.hasShared() ? Math.max(1, shape.sharedExperts()) : 0,
                !Float.isNaN(c.sharedGate()), isDeepseek(shape));
    }

    /** The variant as a trace shows it (no weights at hand). */
    public static RoutingVariant of(ModelShape shape, RoutingDecision d) {
        float[] s = d.scores();
        double sum = 0;
        for (float v : s) {
            sum += v;
        }
        boolean softmax = Math.abs(sum - 1) < 1e-3;
        double[] rule = weightRule(s, d.experts(), d.weights());
        int kept = d.keptGroups() == null ? 1 : d.keptGroups().length;
        return new RoutingVariant(familyName(shape.modelType()), softmax, isGptOss(shape), d.selectionScores() != null,
                shape.expertGroups(), kept, d.selectionScores() != null, s.length, d.topK(), rule[0] > 0, rule[1],
                shape.sharedExperts(), d.hasSharedGate(), isDeepseek(shape));
    }

    /**
     * Reads normalisation and scale off the numbers: w_i = c · s_i for one c. c = 1: raw scores; c·Σs = 1:
     * normalised; otherwise a scale, after normalisation where Σw is a round number (DeepSeek-V3's 2.5), else on
     * the raw scores where c is. Returns {normalised ? 1 : 0, scale}.
     */
    static double[] weightRule(float[] scores, int[] experts, float[] weights) {
        double raw = 0;
        double w = 0;
        for (int i = 0; i < experts.length; i++) {
            raw += scores[experts[i]];
            w += weights[i];
        }
        if (raw <= 0 || experts.length == 0) {
            return new double[] {0, 1};
        }
        double c = w / raw;
        if (Math.abs(c - 1) < 1e-4) {
            return new double[] {0, 1};
        }
        if (Math.abs(w - 1) < 1e-4) {
            return new double[] {1, 1};
        }
        return round(w) || !round(c) ? new double[] {1, Math.round(w * 1e4) / 1e4}
                : new double[] {0, Math.round(c * 1e4) / 1e4};
    }

    private static boolean round(double v) {
        return Math.abs(v * 1000 - Math.rint(v * 1000)) < 1e-2 * Math.max(1, Math.abs(v));
    }

    private static boolean isGptOss(ModelShape shape) {
        return shape.modelType().equals("gpt_oss");
    }

    private static boolean isDeepseek(ModelShape shape) {
        return shape.modelType().startsWith("deepseek");
    }

    static String familyName(String modelType) {
        return switch (modelType) {
            case "mixtral" -> "Mixtral";
            case "qwen2_moe" -> "Qwen2-MoE";
            case "qwen3_moe" -> "Qwen3-MoE";
            case "deepseek" -> "DeepSeekMoE";
            case "deepseek_v2" -> "DeepSeek-V2";
            case "deepseek_v3" -> "DeepSeek-V3";
            case "gpt_oss" -> "gpt-oss";
            case "olmoe" -> "OLMoE";
            default -> modelType;
        };
    }

    /** One line: the family and its routing, e.g. "Mixtral: softmax, top-2 of 8, renormalised". */
    public String summary() {
        StringBuilder s = new StringBuilder(family).append(": ");
        if (topKFirst) {
            s.append(String.format(Locale.ROOT, "top-%d of %d logits, softmax over those %d", topK, experts, topK));
        } else {
            s.append(softmax ? "softmax" : "sigmoid");
            if (selectionBias) {
                s.append(" + selection bias");
            }
            if (groups > 1) {
                s.append(String.format(Locale.ROOT, ", best %d of %d groups", keptGroups, groups));
            }
            s.append(String.format(Locale.ROOT, ", top-%d of %d%s", topK, experts,
                    fineGrained ? " fine-grained experts" : ""));
            s.append(normalize ? ", renormalised" : ", not renormalised");
        }
        if (scale != 1.0) {
            s.append(String.format(Locale.ROOT, ", × %s", trim(scale)));
        }
        if (shared > 0) {
            s.append(sharedGate ? " + a shared expert behind a sigmoid gate"
                    : String.format(Locale.ROOT, " + %d shared expert%s always on", shared, shared == 1 ? "" : "s"));
        }
        return s.toString();
    }

    static String trim(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
