package io.moescope.model.ggufmodel;

import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One prompt through a model, with its logits and the sorted expert set of every (position, MoE layer). */
record GgufRuns(float[][] logits, int[][][] experts) {

    static final Path MODELS = Path.of("src/test/resources/gguf/models");

    /** A test body that opens models. */
    interface ModelWork {
        void run() throws Exception;
    }

    /**
     * Runs work with {@code moescope.quant.activations} set to mode ("int8" or "fp32"; read when a model's
     * matrices are made), then restores the property.
     */
    static void withQuantActivations(String mode, ModelWork work) throws Exception {
        String before = System.setProperty("moescope.quant.activations", mode);
        try {
            work.run();
        } finally {
            if (before == null) {
                System.clearProperty("moescope.quant.activations");
            } else {
                System.setProperty("moescope.quant.activations", before);
            }
        }
    }

    static GgufRuns of(MoeModel model, int[] ids) {
        TraceRecorder rec = new TraceRecorder(true);
        new Generator(model).generate(GenerationRequest.of(ids, 0, SamplingParams.GREEDY), rec, TokenListener.NONE);
        List<LogitsRecorded> logits = rec.of(LogitsRecorded.class);
        float[][] out = new float[logits.size()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = logits.get(t).values();
        }
        int layers = model.config().numLayers();
        int[][][] experts = new int[ids.length][layers][];
        for (RoutingDecision d : rec.of(RoutingDecision.class)) {
            int[] e = d.experts().clone();
            Arrays.sort(e);
            experts[d.position()][d.layer()] = e;
        }
        return new GgufRuns(out, experts);
    }

    /** max over positions of max |a − b| / max |b| (b the reference). */
    static double maxRelative(float[][] a, float[][] b) {
        double worst = 0;
        for (int t = 0; t < b.length; t++) {
            double scale = 0;
            for (float v : b[t]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int v = 0; v < b[t].length; v++) {
                worst = Math.max(worst, Math.abs(a[t][v] - b[t][v]) / scale);
            }
        }
        return worst;
    }

    /** Fraction of (position, MoE layer) whose expert sets agree. */
    double expertAgreement(GgufRuns reference) {
        int same = 0;
        int all = 0;
        for (int t = 0; t < experts.length; t++) {
            for (int l = 0; l < experts[t].length; l++) {
                if (reference.experts[t][l] == null) {
                    continue;
                }
                all++;
                same += Arrays.equals(experts[t][l], reference.experts[t][l]) ? 1 : 0;
            }
        }
        return all == 0 ? 0 : (double) same / all;
    }
}
