package io.moescope.model.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from logits: greedy, or temperature + top-k + top-p with a seeded generator. */
public final class Sampler {

    private final SamplingParams params;
    private final SplittableRandom random;

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
    }

    /** Chooses from logits[offset .. offset+vocab). */
    public int sample(float[] logits, int offset, int vocab) {
        if (params.greedy()) {
            return argmax(logits, offset, vocab);
        }
        double[] p = softmax(logits, offset, vocab, params.temperature());
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        int keep = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        double cumulative = 0;
        int n = 0;
        while (n < keep) {
            cumulative += p[order[n]];
            n++;
            if (cumulative >= params.topP()) {
                break;
            }
        }
        double r = random.nextDouble() * cumulative;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += p[order[i]];
            if (r < acc) {
                return order[i];
            }
        }
        return order[n - 1];
    }

    public static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax of logits / temperature in double precision (temperature 0 treated as 1). */
    public static double[] softmax(float[] logits, int offset, int n, double temperature) {
        double t = temperature > 0 ? temperature : 1;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i] / t);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[offset + i] / t - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
