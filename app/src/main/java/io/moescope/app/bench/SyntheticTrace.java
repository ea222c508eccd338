package io.moescope.app.bench;

import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceSink;
import java.util.Arrays;
import java.util.Random;

/**
 * A synthetic routing trace for benchmarks: E experts, L MoE layers, top-k, skewed expert popularity (a few hot
 * experts, some rarely chosen) plus per-token noise, softmax scores, emitted at a fixed token rate.
 */
final class SyntheticTrace {

    private final ModelShape shape;
    private final double[][] bias; // [layer][expert] popularity in logit space
    private final Random random = new Random(42);

    SyntheticTrace(int experts, int layers, int topK) {
        int[] moe = new int[layers];
        for (int l = 0; l < layers; l++) {
            moe[l] = l;
        }
        shape = new ModelShape("synthetic", layers, moe, experts, 0, topK, 32_000);
        bias = new double[layers][experts];
        for (double[] row : bias) {
            for (int e = 0; e < experts; e++) {
                row[e] = 1.5 * random.nextGaussian();
            }
        }
    }

    ModelShape shape() {
        return shape;
    }

    /** Streams {@code tokens} tokens (the first 32 as prompt) into the sink at {@code rate} tokens/s. */
    void stream(TraceSink sink, int tokens, double rate) throws InterruptedException {
        sink.accept(new SequenceStarted(0, shape));
        long t0 = System.nanoTime();
        for (int p = 0; p < tokens; p++) {
            for (int l = 0; l < shape.moeLayerCount(); l++) {
                sink.accept(decision(p, l));
            }
            sink.accept(new TokenEmitted(
                    0,
                    p,
                    100 + p % 1000,
                    " t" + p % 1000,
                    p < 32 ? Phase.PREFILL : Phase.DECODE,
                    System.nanoTime() - t0));
            long due = t0 + (long) ((p + 1) * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        sink.accept(new SequenceFinished(0, tokens, StopReason.MAX_TOKENS));
    }

    private RoutingDecision decision(int position, int layer) {
        int e = shape.routedExperts();
        int k = shape.topK();
        float[] logits = new float[e];
        float[] scores = new float[e];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < e; i++) {
            logits[i] = (float) (bias[layer][i] + random.nextGaussian());
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < e; i++) {
            scores[i] = (float) Math.exp(logits[i] - max);
            sum += scores[i];
        }
        Integer[] order = new Integer[e];
        for (int i = 0; i < e; i++) {
            scores[i] /= (float) sum;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] chosen = new int[k];
        float[] weights = new float[k];
        float total = 0;
        for (int j = 0; j < k; j++) {
            chosen[j] = order[j];
            total += scores[order[j]];
        }
        for (int j = 0; j < k; j++) {
            weights[j] = scores[chosen[j]] / total;
        }
        return new RoutingDecision(0, position, layer, logits, scores, null, null, chosen, weights, 1f, 0f, Float.NaN);
    }
}
