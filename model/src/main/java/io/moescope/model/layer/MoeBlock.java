package io.moescope.model.layer;

import io.moescope.model.api.Intervention;
import io.moescope.model.tensor.KernelPool;
import io.moescope.model.tensor.Matrix;
import java.util.Arrays;
import java.util.Set;

/**
 * A mixture-of-experts feed-forward: router → top-k routed SwiGLU experts (dropless, grouped by expert: one
 * product per active expert) + optional shared experts (DeepSeek: added; Qwen2: sigmoid-gated).
 */
public final class MoeBlock implements FeedForward {

    private final int layer;
    private final Matrix gate; // [E, H]
    private final Router router;
    private final Expert[] experts; // [E]
    private final Mlp shared; // null if none
    private final float[] sharedGate; // [H] Qwen2 shared_expert_gate, null if none

    public MoeBlock(int layer, Matrix gate, Router router, Expert[] experts, Mlp shared, float[] sharedGate) {
        this.layer = layer;
        this.gate = gate;
        this.router = router;
        this.experts = experts.clone();
        this.shared = shared;
        this.sharedGate = sharedGate == null ? null : sharedGate.clone();
    }

    public int expertCount() {
        return experts.length;
    }

    @Override
    public void forward(float[] x, int tokens, Intervention iv, LayerRouting capture, float[] out) {
        forward(x, x, tokens, iv, capture, out);
    }

    /**
     * {@link #forward(float[], int, Intervention, LayerRouting, float[])} with the router reading {@code routerIn}
     * [tokens, H] and the experts {@code x} [tokens, H] (Gemma 4 normalises the two differently).
     */
    public void forward(float[] routerIn, float[] x, int tokens, Intervention iv, LayerRouting capture, float[] out) {
        int h = gate.cols();
        int e = experts.length;
        float[] logits = new float[tokens * e]; // [tokens, E]
        gate.apply(routerIn, tokens, logits);
        Set<Integer> ablated = iv.ablatedIn(layer);
        int[] forced = iv.forcedIn(layer);
        Route[] routes = new Route[tokens];
        int[] load = new int[e];
        for (int t = 0; t < tokens; t++) {
            routes[t] = router.route(logits, t * e, ablated, forced, iv.topK());
            for (int ex : routes[t].experts()) {
                load[ex]++;
            }
        }
        LayerProbe probe = capture == null ? null : capture.probe;
        if (probe != null) {
            startProbe(probe, logits, e, routes[probe.row], ablated, forced);
        }
        float[] routed = new float[tokens * h]; // [tokens, H]
        boolean sharedOn = shared != null && !iv.alwaysOnOff();
        float[] sharedOut = sharedOn ? new float[tokens * h] : null;
        if (tokens == 1
                && routes[0].experts().length > 1
                && (long) 3 * experts[0].width() * h >= PARALLEL_EXPERT_MACS) {
            decodeExpertsInParallel(x, h, routes[0], routed, sharedOut, probe);
        } else {
            GroupedExperts.run(experts, x, tokens, h, routes, load, routed, probe);
            if (sharedOn) {
                shared.apply(x, tokens, sharedOut);
            }
        }
        if (probe != null && sharedOut != null) {
            probe.sharedRaw = Arrays.copyOfRange(sharedOut, probe.row * h, (probe.row + 1) * h);
        }
        float[] gateValues = null;
        if (sharedOn) {
            if (sharedGate != null) {
                gateValues = new float[tokens];
                for (int t = 0; t < tokens; t++) {
                    double dot = 0;
                    for (int i = 0; i < h; i++) {
                        dot += (double) sharedGate[i] * x[t * h + i];
                    }
                    float g = (float) (1.0 / (1.0 + Math.exp(-dot)));
                    gateValues[t] = g;
                    for (int i = 0; i < h; i++) {
                        sharedOut[t * h + i] *= g;
                    }
                }
            }
        }
        for (int i = 0; i < tokens * h; i++) {
            out[i] = routed[i] + (sharedOut == null ? 0f : sharedOut[i]);
        }
        if (probe != null) {
            int from = probe.row * h;
            probe.routedSum = Arrays.copyOfRange(routed, from, from + h);
            probe.shared = sharedOut == null ? null : Arrays.copyOfRange(sharedOut, from, from + h);
            probe.sharedGate = gateValues == null ? Float.NaN : gateValues[probe.row];
            probe.moeOut = Arrays.copyOfRange(out, from, from + h);
        }
        if (capture != null) {
            for (int t = 0; t < tokens; t++) {
                capture.logits[t] = Arrays.copyOfRange(logits, t * e, (t + 1) * e);
                capture.routes[t] = routes[t];
                capture.routedNorm[t] = norm(routed, t * h, h);
                capture.sharedNorm[t] = sharedOut == null ? 0f : norm(sharedOut, t * h, h);
                if (gateValues != null) {
                    capture.sharedGate[t] = gateValues[t];
                } else if (sharedGate != null) {
                    capture.sharedGate[t] = 0f; // shared switched off by an intervention
                }
            }
        }
    }

    /** The probe's routing side: its row's logits and route, the rule, the bias and the intervention. */
    private void startProbe(LayerProbe probe, float[] logits, int e, Route route, Set<Integer> ablated, int[] forced) {
        probe.logits = Arrays.copyOfRange(logits, probe.row * e, (probe.row + 1) * e);
        probe.route = route;
        probe.rule = router.rule();
        probe.bias = router.biasCopy();
        probe.expertScale = router.expertScaleCopy();
        probe.topK = route.experts().length;
        probe.ablated = ablated.stream().mapToInt(Integer::intValue).sorted().toArray();
        probe.forced = forced;
        probe.expertOutputs = new float[route.experts().length][];
    }

    /**
     * Experts at least this large (multiply-adds per token) run side by side on the kernel pool in decode. Below it
     * the hand-off costs more than it saves: the embedded model's experts (3·128·256) decoded at 730–806 tokens/s
     * sequentially and 530–590 split over two threads (2026-11-22, `moescope.parallelExpertMacs` 2^18 vs 2^16).
     */
    private static final long PARALLEL_EXPERT_MACS = Long.getLong("moescope.parallelExpertMacs", 1L << 18);

    /**
     * One token: the active experts (and the shared expert, first in the list since it is usually the widest) are
     * split between the pool's threads (one hand-off for the whole layer instead of one per product); outputs are
     * summed afterwards in expert order, exactly as the sequential loop does.
     */
    private void decodeExpertsInParallel(
            float[] x, int h, Route route, float[] routed, float[] sharedOut, LayerProbe probe) {
        int[] chosen = route.experts();
        float[] wts = route.weights();
        Integer[] order = new Integer[chosen.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(chosen[a], chosen[b]));
        float[][] ys = new float[chosen.length][h];
        int first = sharedOut == null ? 0 : 1;
        long macs = (long) (chosen.length + first) * 3 * experts[0].width() * h;
        KernelPool.shared().run(chosen.length + first, 1, 1, macs, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (i < first) {
                    shared.apply(x, 1, sharedOut);
                } else {
                    experts[chosen[order[i - first]]].apply(x, 1, ys[i - first]);
                }
            }
        });
        for (int i = 0; probe != null && i < order.length; i++) {
            probe.expertOutputs[order[i]] = ys[i].clone();
        }
        for (int i = 0; i < order.length; i++) {
            float w = wts[order[i]];
            float[] y = ys[i];
            for (int j = 0; j < h; j++) {
                routed[j] += w * y[j];
            }
        }
    }

    private static float norm(float[] v, int off, int len) {
        double ss = 0;
        for (int i = off; i < off + len; i++) {
            ss += (double) v[i] * v[i];
        }
        return (float) Math.sqrt(ss);
    }

    @Override
    public long activeBytesPerToken() {
        long k = router.rule().topK();
        return gate.weightBytes() + k * experts[0].weightBytes() + (shared == null ? 0 : shared.weightBytes());
    }

    @Override
    public long totalBytes() {
        long n = gate.weightBytes() + (shared == null ? 0 : shared.weightBytes());
        for (Expert m : experts) {
            n += m.weightBytes();
        }
        return n;
    }
}
