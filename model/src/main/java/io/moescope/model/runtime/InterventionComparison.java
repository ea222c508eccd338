package io.moescope.model.runtime;

import io.moescope.model.api.Intervention;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the same prompt with and without an intervention and compares the next-token distributions after the
 * prompt, and where routing first differs.
 */
public final class InterventionComparison {

    /** One next-token candidate with its probability in each run. */
    public record Candidate(int tokenId, double baseline, double intervened) {}

    /**
     * @param baseline       next-token probabilities without the intervention [V]
     * @param intervened     next-token probabilities with it [V]
     * @param klDivergence   KL(baseline ‖ intervened) in nats
     * @param totalVariation ½ Σ |p − q|
     * @param top            the union of both runs' top-10 tokens, by baseline probability
     * @param firstDivergentLayer the first MoE layer whose expert set differs at some position, or -1
     */
    public record Result(
            double[] baseline,
            double[] intervened,
            double klDivergence,
            double totalVariation,
            List<Candidate> top,
            int firstDivergentLayer) {

        public int baselineArgmax() {
            return argmax(baseline);
        }

        public int intervenedArgmax() {
            return argmax(intervened);
        }
    }

    private final MoeModel model;

    public InterventionComparison(MoeModel model) {
        this.model = model;
    }

    public Result compare(int[] promptIds, Intervention intervention) {
        TraceRecorder a = new TraceRecorder(false);
        TraceRecorder b = new TraceRecorder(false);
        Generator gen = new Generator(model);
        GenerationResult ra =
                gen.generate(GenerationRequest.of(promptIds, 0, SamplingParams.GREEDY), a, TokenListener.NONE);
        GenerationResult rb = gen.generate(
                GenerationRequest.of(promptIds, 0, SamplingParams.GREEDY).withIntervention(intervention),
                b,
                TokenListener.NONE);
        int v = model.config().vocabSize();
        double[] p = Sampler.softmax(ra.lastLogits(), 0, v, 1);
        double[] q = Sampler.softmax(rb.lastLogits(), 0, v, 1);
        double kl = 0;
        double tv = 0;
        for (int i = 0; i < v; i++) {
            if (p[i] > 0) {
                kl += p[i] * Math.log(p[i] / Math.max(q[i], 1e-300));
            }
            tv += Math.abs(p[i] - q[i]);
        }
        return new Result(p, q, kl, tv / 2, top(p, q, 10), firstDivergence(a, b));
    }

    private static List<Candidate> top(double[] p, double[] q, int n) {
        Integer[] byP = order(p);
        Integer[] byQ = order(q);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < Math.min(n, p.length); i++) {
            if (!ids.contains(byP[i])) {
                ids.add(byP[i]);
            }
        }
        for (int i = 0; i < Math.min(n, q.length); i++) {
            if (!ids.contains(byQ[i])) {
                ids.add(byQ[i]);
            }
        }
        ids.sort((x, y) -> Double.compare(p[y], p[x]));
        List<Candidate> out = new ArrayList<>();
        for (int id : ids) {
            out.add(new Candidate(id, p[id], q[id]));
        }
        return out;
    }

    private static Integer[] order(double[] p) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Double.compare(p[y], p[x]));
        return idx;
    }

    private static int firstDivergence(TraceRecorder a, TraceRecorder b) {
        List<RoutingDecision> ra = a.of(RoutingDecision.class);
        List<RoutingDecision> rb = b.of(RoutingDecision.class);
        int first = -1;
        for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
            int[] x = ra.get(i).experts().clone();
            int[] y = rb.get(i).experts().clone();
            Arrays.sort(x);
            Arrays.sort(y);
            if (!Arrays.equals(x, y) && (first < 0 || ra.get(i).layer() < first)) {
                first = ra.get(i).layer();
            }
        }
        return first;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
