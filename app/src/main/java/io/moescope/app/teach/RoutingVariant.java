package io.moescope.app.teach;

import io.moescope.model.api.LayerCapture;
import io.moescope.model.trace.AlwaysOnPart;
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
 * @param perExpertScale the final weights are also multiplied by a factor per expert (Gemma 4's per_expert_scale)
 * @param alwaysOn      the layer's always-on part as the trace header names it (shared experts, a gated shared
 *                      expert, Gemma 4's parallel dense MLP, or none)
 * @param fineGrained   DeepSeekMoE's fine-grained experts
 */
public record RoutingVariant(
        String family,
        boolean softmax,
        boolean topKFirst,
        boolean selectionBias,
        int groups,
        int keptGroups,
        boolean groupByTop2,
        int experts,
        int topK,
        boolean normalize,
        double scale,
        boolean perExpertScale,
        AlwaysOnPart alwaysOn,
        boolean fineGrained) {

    public RoutingVariant {
        java.util.Objects.requireNonNull(alwaysOn, "alwaysOn");
    }

    /** Shared experts added unweighted, their count; 0 for any other always-on part. */
    public int shared() {
        return alwaysOn.kind() == AlwaysOnPart.Kind.SHARED_EXPERTS ? alwaysOn.count() : 0;
    }

    /** One shared expert behind a sigmoid gate (Qwen2-MoE, Qwen3-Next, Qwen3.5). */
    public boolean sharedGate() {
        return alwaysOn.kind() == AlwaysOnPart.Kind.GATED_SHARED_EXPERT;
    }

    /** Gemma 4's dense MLP beside the experts, with its own norms around both parts. */
    public boolean parallelDense() {
        return alwaysOn.kind() == AlwaysOnPart.Kind.PARALLEL_DENSE_MLP;
    }

    /** The exact variant of a captured layer. */
    public static RoutingVariant of(ModelShape shape, LayerCapture c) {
        LayerCapture.Rule r = c.rule();
        return new RoutingVariant(
                familyName(shape.modelType()),
                r.softmax(),
                isGptOss(shape),
                c.selectionBias() != null,
                r.groups(),
                r.topkGroup(),
                r.method().equals("noaux_tc"),
                c.expertCount(),
                r.topK(),
                r.normalize(),
                r.scales() ? r.scale() : 1.0,
                c.expertScale() != null,
                shape.alwaysOn(c.layer()),
                isDeepseek(shape));
    }

    /** The variant as a trace shows it (no weights at hand). */
    public static RoutingVariant of(ModelShape shape, RoutingDecision d) {
        float[] s = d.scores();
        double sum = 0;
        for (float v : s) {
            sum += v;
        }
        boolean softmax = Math.abs(sum - 1) < 1e-3;
        boolean perExpert = perExpertFactors(s, d.experts(), d.weights());
        // per-expert factors hide the rule from the numbers: the one family that has them (Gemma 4) renormalises
        double[] rule = perExpert ? new double[] {1, 1} : weightRule(s, d.experts(), d.weights());
        int kept = d.keptGroups() == null ? 1 : d.keptGroups().length;
        return new RoutingVariant(
                familyName(shape.modelType()),
                softmax,
                isGptOss(shape),
                d.selectionScores() != null,
                shape.expertGroups(),
                kept,
                d.selectionScores() != null,
                s.length,
                d.topK(),
                rule[0] > 0,
                rule[1],
                perExpert,
                shape.alwaysOn(d.layer()),
                isDeepseek(shape));
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
        return round(w) || !round(c)
                ? new double[] {1, Math.round(w * 1e4) / 1e4}
                : new double[] {0, Math.round(c * 1e4) / 1e4};
    }

    /** True where w_i / s_i differs between the chosen experts: a factor per expert, not one for all. */
    static boolean perExpertFactors(float[] scores, int[] experts, float[] weights) {
        double first = Double.NaN;
        for (int i = 0; i < experts.length; i++) {
            double s = scores[experts[i]];
            if (s <= 0) {
                return false;
            }
            double ratio = weights[i] / s;
            if (Double.isNaN(first)) {
                first = ratio;
            } else if (Math.abs(ratio - first) > 1e-4 * Math.abs(first)) {
                return true;
            }
        }
        return false;
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
            case "qwen3_next" -> "Qwen3-Next";
            case "qwen3_5_moe", "qwen3_5_moe_text" -> "Qwen3.5";
            case "glm4_moe" -> "GLM-4.5";
            case "ernie4_5_moe" -> "ERNIE 4.5";
            case "granitemoe", "granitemoeshared" -> "Granite MoE";
            case "gemma4", "gemma4_text" -> "Gemma 4";
            case "lfm2_moe" -> "LFM2-MoE";
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
            s.append(String.format(
                    Locale.ROOT, ", top-%d of %d%s", topK, experts, fineGrained ? " fine-grained experts" : ""));
            s.append(normalize ? ", renormalised" : ", not renormalised");
        }
        if (scale != 1.0) {
            s.append(String.format(Locale.ROOT, ", × %s", trim(scale)));
        }
        if (perExpertScale) {
            s.append(", × a per-expert scale");
        }
        switch (alwaysOn.kind()) {
            case SHARED_EXPERTS ->
                s.append(
                        alwaysOn.name().startsWith("shared expert")
                                ? String.format(
                                        Locale.ROOT,
                                        " + %d shared expert%s always on",
                                        shared(),
                                        shared() == 1 ? "" : "s")
                                : " + a " + alwaysOn.name() + " always on");
            case GATED_SHARED_EXPERT -> s.append(" + a shared expert behind a sigmoid gate");
            case PARALLEL_DENSE_MLP -> s.append(" + a dense MLP beside the experts");
            default -> {}
        }
        return s.toString();
    }

    static String trim(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v))
                .stripTrailingZeros()
                .toPlainString();
    }
}
