package io.moescope.model.diagnosis;

import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;

/** Builds synthetic routing for the tests: one MoE layer (layer 0) unless told otherwise. */
final class Routing {

    final ModelShape shape;
    final RoutingAccumulator acc;
    private int position;
    private long sequence;

    Routing(int experts, int topK, DiagnosisOptions options) {
        shape = new ModelShape("test", 1, new int[] {0}, experts, 0, topK, 100);
        acc = new RoutingAccumulator(shape, options);
    }

    Routing start() {
        acc.accept(new SequenceStarted(++sequence, shape));
        position = 0;
        return this;
    }

    Routing end() {
        acc.accept(new SequenceFinished(sequence, position, io.moescope.model.trace.StopReason.PREFILL_ONLY));
        return this;
    }

    /** A token with the given scores (logits = ln scores), choosing the given experts. */
    Routing token(float[] scores, int... experts) {
        float[] logits = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            logits[i] = (float) Math.log(scores[i]);
        }
        return token(logits, scores, null, experts);
    }

    Routing token(float[] logits, float[] scores, float[] selection, int... experts) {
        acc.accept(new RoutingDecision(
                sequence,
                position++,
                0,
                logits,
                scores,
                selection,
                null,
                experts,
                new float[experts.length],
                1f,
                0f,
                Float.NaN));
        return this;
    }

    static float[] uniform(int e) {
        float[] s = new float[e];
        java.util.Arrays.fill(s, 1f / e);
        return s;
    }

    LayerReport layer() {
        return acc.layerReports().get(0);
    }
}
