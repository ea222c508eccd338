package io.moescope.app.granularity;

import io.moescope.app.prompt.PromptIds;
import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * How one model routed the tokens of one prompt (a prefill, nothing generated): per MoE layer and prompt position
 * the chosen experts and their gate weights, in the engine's order (highest selection score first).
 *
 * @param shape   the model's MoE shape (routed and shared expert counts, top-k)
 * @param tokens  printable token texts, one per position [P]
 * @param layers  decoder layer number of each MoE layer [L]
 * @param experts chosen experts [L][P][k]
 * @param weights gate weights in the same order [L][P][k]
 */
public record PromptRouting(
        ModelShape shape, List<String> tokens, int[] layers, int[][][] experts, float[][][] weights) {

    /** Runs the prompt through the model (bos added as the model's tokenizer does) and records its routing. */
    public static PromptRouting of(MoeModel model, String prompt) throws ModelLoadException {
        int[] ids = PromptIds.parse(prompt, model);
        TraceRecorder rec = new TraceRecorder(false);
        new Generator(model).generate(GenerationRequest.of(ids, 0, SamplingParams.GREEDY), rec, TokenListener.NONE);
        ModelShape shape = model.shape();
        int[] layers = shape.moeLayers().clone();
        int p = ids.length;
        List<String> tokens = new ArrayList<>();
        for (TokenEmitted t : rec.of(TokenEmitted.class)) {
            if (t.position() < p) {
                tokens.add(RoutingHeatmaps.printable(t.text()));
            }
        }
        int[][][] experts = new int[layers.length][p][];
        float[][][] weights = new float[layers.length][p][];
        for (RoutingDecision d : rec.of(RoutingDecision.class)) {
            int l = indexOf(layers, d.layer());
            if (l >= 0 && d.position() < p) {
                experts[l][d.position()] = d.experts();
                weights[l][d.position()] = d.weights();
            }
        }
        for (int l = 0; l < layers.length; l++) {
            for (int i = 0; i < p; i++) {
                if (experts[l][i] == null) {
                    throw new IllegalStateException("no routing recorded for layer " + layers[l] + ", position " + i);
                }
            }
        }
        return new PromptRouting(shape, List.copyOf(tokens), layers, experts, weights);
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    public int positions() {
        return tokens.size();
    }

    /** "16 routed × top-4 + 2 shared" */
    public String layoutText() {
        return shape.routedExperts() + " routed experts, top-" + shape.topK()
                + (shape.sharedExperts() == 0 ? ", no shared" : " + " + shape.sharedExperts() + " shared");
    }
}
