package io.moescope.app.teach;

import io.moescope.app.teach.WalkStep.Bars;
import io.moescope.app.teach.WalkStep.Kind;
import io.moescope.app.teach.WalkStep.Strip;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.trace.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the walkthrough's steps for one (token, layer) from the engine's numbers: hidden state in → router logits →
 * scores → selection (bias, groups; only where the family has them) → top-k → weights → each chosen expert's
 * output scaled by its weight → routed sum + always-on part → residual. Pure: no window, no engine calls.
 */
public final class WalkSteps {

    private static final String NEEDS_WEIGHTS = "Needs the model's weights: this is a replayed trace, which keeps "
            + "the routing but not the vectors. Open the model and generate to see them.";

    private final WalkInput in;
    private final RoutingDecision d;
    private final LayerCapture c;
    private final RoutingVariant v;
    private final int e;
    private final boolean[] chosen;
    private final boolean[] masked;

    private WalkSteps(WalkInput in) {
        this.in = in;
        this.d = in.decision();
        this.c = in.capture();
        this.v = in.variant();
        this.e = d.expertCount();
        this.chosen = new boolean[e];
        for (int x : d.experts()) {
            chosen[x] = true;
        }
        this.masked = maskOf();
    }

    /** Every step for this (token, layer), in order. A decision without scores (an imported recording) has none. */
    public static List<WalkStep> of(WalkInput in) {
        if (!in.decision().hasScores()) {
            return List.of();
        }
        return new WalkSteps(in).build();
    }

    private List<WalkStep> build() {
        List<WalkStep> steps = new ArrayList<>();
        steps.add(hiddenIn());
        steps.add(logits());
        steps.add(scores());
        if (v.selectionBias() || d.keptGroups() != null || (c != null && c.ablated().length > 0)) {
            steps.add(selection());
        }
        steps.add(topK());
        steps.add(weights());
        steps.add(expertOutputs());
        steps.add(combine());
        steps.add(residual());
        return steps;
    }

    private WalkStep hiddenIn() {
        String formula = "x = RMSNorm(h)   (h: the residual stream after attention)";
        if (c == null) {
            return step(Kind.HIDDEN_IN, "Hidden state in", formula, NEEDS_WEIGHTS, List.of(), List.of(), true);
        }
        if (v.parallelDense()) {
            formula = "x = R(h)   (the router's own RMSNorm of the residual stream h)";
        }
        Strip h = new Strip("h", c.residualIn());
        Strip x = new Strip(v.parallelDense() ? "x = R(h)" : "x = RMSNorm(h)", c.hiddenIn());
        String note = String.format(
                Locale.ROOT,
                "Token %s at position %d enters decoder layer %d: H = %d numbers, " + "‖h‖ = %.3f, ‖x‖ = %.3f. %s",
                quoted(),
                in.position(),
                d.layer(),
                c.hiddenSize(),
                h.norm(),
                x.norm(),
                v.parallelDense()
                        ? v.family() + " normalises h three ways: R for the router (shown), "
                                + "one RMSNorm for the experts and one for the dense MLP."
                        : "The router and every expert read x.");
        return step(Kind.HIDDEN_IN, "Hidden state in", formula, note, List.of(), List.of(h, x), false);
    }

    private WalkStep logits() {
        boolean bias = v.family().equals("gpt-oss");
        String formula = "z = W_r · x" + (bias ? " + b_r" : "") + "   (one logit per routed expert, " + e + ")";
        float[] z = d.routerLogits();
        int best = argmax(z);
        String note = String.format(
                Locale.ROOT,
                "The router is one %d × %d matrix%s. Largest logit: E%d, z = %.3f.",
                e,
                c == null ? 0 : c.hiddenSize(),
                bias ? " with a bias" : "",
                best,
                z[best]);
        if (c == null) {
            note = String.format(
                    Locale.ROOT,
                    "The router is one matrix with a row per expert%s. Largest logit: " + "E%d, z = %.3f.",
                    bias ? " and a bias" : "",
                    best,
                    z[best]);
        }
        return step(Kind.LOGITS, "Router logits", formula, note, List.of(bars("z", z)), List.of(), false);
    }

    private WalkStep scores() {
        float[] s = d.scores();
        double sum = 0;
        for (float x : s) {
            sum += x;
        }
        String formula;
        String note;
        if (v.topKFirst()) {
            formula = "s_i = e^{z_i} / Σ_j e^{z_j}   (gpt-oss: over the k chosen only)";
            note = String.format(
                    Locale.ROOT,
                    "%s takes the top-%d logits first and applies the softmax over those "
                            + "%d only. Shown here is the full softmax: it ranks the same way and, renormalised over the "
                            + "chosen, gives the same weights.",
                    v.family(),
                    v.topK(),
                    v.topK());
        } else if (v.softmax()) {
            formula = "s_i = e^{z_i} / Σ_j e^{z_j}   (softmax)";
            note = String.format(
                    Locale.ROOT, "%s uses a softmax: the %d scores are positive and sum to %.4f.", v.family(), e, sum);
        } else {
            formula = "s_i = σ(z_i) = 1 / (1 + e^{−z_i})   (sigmoid)";
            note = String.format(
                    Locale.ROOT,
                    "%s uses a sigmoid: each score is in (0, 1) on its own; " + "they sum to %.3f, not 1.",
                    v.family(),
                    sum);
        }
        return step(Kind.SCORES, "Scores", formula, note, List.of(bars("s", s)), List.of(), false);
    }

    private WalkStep selection() {
        float[] s = d.scores();
        float[] sel = d.selectionScores() == null ? s : d.selectionScores();
        List<Bars> bars = new ArrayList<>();
        StringBuilder note = new StringBuilder();
        String formula = "c_i = s_i";
        if (v.selectionBias()) {
            formula = "c_i = s_i + b_i   (b: selection bias, used for choosing only)";
            if (c != null && c.selectionBias() != null) {
                bars.add(new Bars("b (selection bias)", names(), c.selectionBias(), chosen, new boolean[e]));
            }
            note.append(v.family())
                    .append(" adds a per-expert bias b to the scores to choose the experts; the "
                            + "weights still come from s. The bias is tuned during training to even out the load "
                            + "(auxiliary-loss-free balancing). ");
        }
        bars.add(new Bars(v.selectionBias() ? "c = s + b" : "c = s", names(), sel, chosen, masked));
        if (d.keptGroups() != null) {
            formula += "; experts outside the best " + v.keptGroups() + " of " + v.groups() + " groups → −∞";
            note.append(String.format(
                    Locale.ROOT,
                    "Group-limited routing: the %d experts form %d groups of %d; a "
                            + "group's score is %s; only groups %s stay (dimmed bars are masked). ",
                    e,
                    v.groups(),
                    e / v.groups(),
                    v.groupByTop2() ? "the sum of its two best c" : "its best c",
                    java.util.Arrays.toString(d.keptGroups())));
        }
        if (c != null && c.ablated().length > 0) {
            note.append("Intervention: experts ")
                    .append(java.util.Arrays.toString(c.ablated()))
                    .append(" are ablated (never chosen).");
        }
        return step(Kind.SELECTION, "Selection score", formula, note.toString().trim(), bars, List.of(), false);
    }

    private WalkStep topK() {
        float[] sel = d.selectionScores() == null ? d.scores() : d.selectionScores();
        int[] ex = d.experts();
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < ex.length; i++) {
            picks.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "E%d (%.3f)", ex[i], sel[ex[i]]));
        }
        String over = v.topKFirst() ? "z" : v.selectionBias() ? "c" : "s";
        String formula = "T = top-" + ex.length + " over " + over + "   (" + ex.length + " of " + e + " experts)";
        String note = String.format(
                Locale.ROOT,
                "%s chooses %d of its %d %sexperts for this token: %s.",
                v.family(),
                ex.length,
                e,
                v.fineGrained() ? "fine-grained " : "",
                picks);
        if (c != null && c.forced() != null) {
            note += " Intervention: this set is forced, not the router's choice.";
        }
        float[] shown = v.topKFirst() ? d.routerLogits() : sel;
        return step(
                Kind.TOP_K,
                "Top-k",
                formula,
                note,
                List.of(new Bars(over, names(), shown, chosen, masked)),
                List.of(),
                false);
    }

    private WalkStep weights() {
        int[] ex = d.experts();
        float[] s = d.scores();
        float[] raw = new float[ex.length];
        double sum = 0;
        for (int i = 0; i < ex.length; i++) {
            raw[i] = s[ex[i]];
            sum += raw[i];
        }
        float[] w = d.weights();
        String[] picked = chosenNames();
        boolean[] all = new boolean[ex.length];
        java.util.Arrays.fill(all, true);
        List<Bars> bars = new ArrayList<>();
        bars.add(new Bars("s_i, i ∈ T", picked, raw, all, new boolean[ex.length]));
        String formula;
        if (v.normalize()) {
            formula = "g_i = s_i / Σ_{j∈T} s_j" + (v.scale() != 1 ? " × " + RoutingVariant.trim(v.scale()) : "");
            if (v.scale() != 1) {
                float[] n = c != null ? c.normalisedWeights() : normalised(raw, sum);
                bars.add(new Bars("s_i / Σ s_j", picked, n, all, new boolean[ex.length]));
            }
        } else {
            formula = "g_i = s_i" + (v.scale() != 1 ? " × " + RoutingVariant.trim(v.scale()) : "")
                    + "   (no renormalisation)";
        }
        if (v.perExpertScale()) {
            formula += " × p_{e_i}   (p: a learned factor per expert)";
            if (v.scale() == 1 && v.normalize()) {
                bars.add(new Bars(
                        "s_i / Σ s_j",
                        picked,
                        c != null ? c.normalisedWeights() : normalised(raw, sum),
                        all,
                        new boolean[ex.length]));
            }
            if (c != null) {
                float[] p = new float[ex.length];
                for (int i = 0; i < ex.length; i++) {
                    p[i] = c.expertScale()[ex[i]];
                }
                bars.add(new Bars("p (per-expert scale)", picked, p, all, new boolean[ex.length]));
            }
        }
        bars.add(new Bars("g (gate weights)", picked, w, all, new boolean[ex.length]));
        double wsum = 0;
        for (float x : w) {
            wsum += x;
        }
        String note = String.format(
                Locale.ROOT,
                "The chosen scores sum to %.4f%s; the weights sum to %.4f. The "
                        + "first expert takes %.0f %% of the weight.",
                sum,
                v.normalize() ? ", so dividing by it makes them " + "sum to 1" : " and are used as they are",
                wsum,
                100 * w[0] / wsum);
        if (v.scale() != 1) {
            note += " " + v.family() + " then multiplies them by the routed scaling factor "
                    + RoutingVariant.trim(v.scale()) + ".";
        }
        if (v.perExpertScale()) {
            note += " " + v.family() + " then multiplies each by its expert's own learned scale p"
                    + (c == null ? " (a weight: the trace has only the products)." : ".");
        }
        return step(Kind.WEIGHTS, "Gate weights", formula, note, bars, List.of(), false);
    }

    private static float[] normalised(float[] raw, double sum) {
        float[] n = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            n[i] = (float) (raw[i] / sum);
        }
        return n;
    }

    private WalkStep expertOutputs() {
        String formula = "y_i = g_i · E_i(x),  E_i(x) = W_down (SiLU(W_gate x) ⊙ W_up x)";
        if (v.family().equals("gpt-oss")) {
            formula = "y_i = g_i · E_i(x)   (gpt-oss: clamped SwiGLU with biases)";
        }
        if (c == null) {
            return step(Kind.EXPERT_OUTPUTS, "Expert outputs", formula, NEEDS_WEIGHTS, List.of(), List.of(), true);
        }
        float[][] ys = c.expertOutputs();
        float[] w = c.weights();
        int[] ex = c.experts();
        List<Strip> strips = new ArrayList<>();
        StringBuilder note = new StringBuilder("Each chosen expert is a small feed-forward network run on x; its "
                + "output is scaled by its weight.");
        for (int i = 0; i < ex.length; i++) {
            float[] scaled = new float[ys[i].length];
            for (int j = 0; j < scaled.length; j++) {
                scaled[j] = w[i] * ys[i][j];
            }
            Strip raw = new Strip("E" + ex[i] + "(x)", ys[i]);
            Strip y = new Strip(String.format(Locale.ROOT, "%.3f · E%d(x)", w[i], ex[i]), scaled);
            strips.add(raw);
            strips.add(y);
            note.append(
                    String.format(Locale.ROOT, " E%d: ‖E(x)‖ = %.3f, ‖g·E(x)‖ = %.3f.", ex[i], raw.norm(), y.norm()));
        }
        return step(Kind.EXPERT_OUTPUTS, "Expert outputs", formula, note.toString(), List.of(), strips, false);
    }

    private WalkStep combine() {
        boolean hasShared = v.alwaysOn().present();
        String formula = v.parallelDense()
                ? "y = N_post(N₁(MLP(x)) + N₂(Σ_{i∈T} g_i · E_i(x)))"
                : "y = Σ_{i∈T} g_i · E_i(x)"
                        + (!hasShared ? "" : v.sharedGate() ? " + σ(w_g · x) · S(x)" : " + Σ_shared S_j(x)");
        String always = switch (v.alwaysOn().kind()) {
            case GATED_SHARED_EXPERT -> v.family() + "'s shared expert S runs on every token, behind a sigmoid gate ";
            case SHARED_EXPERTS ->
                v.shared() + " "
                        + (v.alwaysOn().name().startsWith("shared expert")
                                ? "shared expert" + (v.shared() == 1 ? "" : "s")
                                : v.alwaysOn().name())
                        + (v.shared() == 1 ? " runs" : " run") + " on every token"
                        + (v.fineGrained() ? " (DeepSeekMoE's isolated shared experts)" : "") + ", ungated. ";
            case PARALLEL_DENSE_MLP ->
                v.family() + " runs a dense MLP beside the experts on every token; each part "
                        + "has its own output RMSNorm (N₁, N₂) and their sum one more (N_post). ";
            default -> "No always-on part: the routed experts are the whole feed-forward. ";
        };
        String alwaysName = v.parallelDense() ? "dense MLP" : "shared";
        if (c == null) {
            float[] norms = hasShared ? new float[] {d.routedNorm(), d.sharedNorm()} : new float[] {d.routedNorm()};
            String[] names = hasShared ? new String[] {"routed", alwaysName} : new String[] {"routed"};
            boolean[] marks = new boolean[norms.length];
            String note = always + (v.sharedGate() ? String.format(Locale.ROOT, "(σ = %.3f). ", d.sharedGate()) : "")
                    + "The trace keeps only the norms of the two parts. " + NEEDS_WEIGHTS;
            return step(
                    Kind.COMBINE,
                    "Routed sum + always-on part",
                    formula,
                    note,
                    List.of(new Bars("‖·‖", names, norms, marks, new boolean[norms.length])),
                    List.of(),
                    true);
        }
        List<Strip> strips = new ArrayList<>();
        strips.add(new Strip("routed Σ g·E(x)", c.routedSum()));
        if (c.hasShared() && v.parallelDense()) {
            strips.add(new Strip("MLP(x)", c.sharedRaw()));
            strips.add(new Strip("N₁(MLP(x))", c.shared()));
        } else if (c.hasShared()) {
            if (c.sharedRaw() != null && !Float.isNaN(c.sharedGate())) {
                strips.add(new Strip("S(x)", c.sharedRaw()));
            }
            strips.add(new Strip(
                    Float.isNaN(c.sharedGate())
                            ? "shared S(x)"
                            : String.format(Locale.ROOT, "%.3f · S(x)", c.sharedGate()),
                    c.shared()));
        }
        strips.add(new Strip("y (MoE output)", c.moeOut()));
        double routed = strips.get(0).norm();
        double shared = c.hasShared() ? new Strip("", c.shared()).norm() : 0;
        String note = always
                + (Float.isNaN(c.sharedGate()) ? "" : String.format(Locale.ROOT, "(σ = %.3f). ", c.sharedGate()))
                + String.format(
                        Locale.ROOT,
                        "‖routed‖ = %.3f%s, ‖y‖ = %.3f.",
                        routed,
                        c.hasShared()
                                ? String.format(
                                        Locale.ROOT,
                                        ", ‖%s‖ = %.3f (share %.0f %%)",
                                        alwaysName,
                                        shared,
                                        100 * shared / (shared + routed))
                                : "",
                        strips.get(strips.size() - 1).norm());
        return step(Kind.COMBINE, "Routed sum + always-on part", formula, note, List.of(), strips, false);
    }

    private WalkStep residual() {
        String formula = "h' = h + y   (the residual stream carries it to the next layer)";
        if (c == null) {
            return step(Kind.RESIDUAL, "Residual", formula, NEEDS_WEIGHTS, List.of(), List.of(), true);
        }
        float m = c.residualMultiplier();
        float lambda = c.outputScale();
        String sum = m == 1f ? "h + y" : "h + m · y";
        String rule = lambda == 1f ? sum : "(" + sum + ") · λ";
        if (m != 1f || lambda != 1f) {
            formula = "h' = " + rule + "   ("
                    + (m != 1f ? v.family() + "'s residual multiplier m = " + RoutingVariant.trim(m) : "")
                    + (m != 1f && lambda != 1f ? "; " : "")
                    + (lambda != 1f ? v.family() + "'s layer scalar λ = " + RoutingVariant.trim(lambda) : "") + ")";
        }
        Strip h = new Strip("h", c.residualIn());
        Strip y = new Strip("y", c.moeOut());
        Strip out = new Strip("h' = " + rule, c.residualOut());
        String note = String.format(
                Locale.ROOT,
                "The layer adds y to h: ‖h‖ = %.3f → ‖h'‖ = %.3f (‖y‖ / ‖h‖ = " + "%.2f).",
                h.norm(),
                out.norm(),
                y.norm() / Math.max(1e-12, h.norm()));
        return step(Kind.RESIDUAL, "Residual", formula, note, List.of(), List.of(h, y, out), false);
    }

    /** Experts that could not be chosen: outside the kept groups, or ablated. */
    private boolean[] maskOf() {
        boolean[] m = new boolean[e];
        int[] kept = d.keptGroups();
        if (kept != null && v.groups() > 1) {
            int per = e / v.groups();
            boolean[] keep = new boolean[v.groups()];
            for (int g : kept) {
                keep[g] = true;
            }
            for (int i = 0; i < e; i++) {
                m[i] = !keep[i / per];
            }
        }
        if (c != null) {
            for (int a : c.ablated()) {
                if (a >= 0 && a < e) {
                    m[a] = true;
                }
            }
        }
        return m;
    }

    private Bars bars(String label, float[] values) {
        return new Bars(label, names(), values, chosen, new boolean[e]);
    }

    private String[] names() {
        String[] n = new String[e];
        for (int i = 0; i < e; i++) {
            n[i] = "E" + i;
        }
        return n;
    }

    private String[] chosenNames() {
        int[] ex = d.experts();
        String[] n = new String[ex.length];
        for (int i = 0; i < ex.length; i++) {
            n[i] = "E" + ex[i];
        }
        return n;
    }

    private String quoted() {
        return "“" + in.token() + "”";
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static WalkStep step(
            Kind kind,
            String title,
            String formula,
            String note,
            List<Bars> bars,
            List<Strip> strips,
            boolean needsWeights) {
        return new WalkStep(kind, title, formula, note, bars, strips, needsWeights);
    }
}
