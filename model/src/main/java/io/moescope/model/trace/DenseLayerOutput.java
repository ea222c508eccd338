package io.moescope.model.trace;

/**
 * What a dense (non-MoE) decoder layer's FFN put out for one token: its whole output is always on, so the
 * always-on-vs-routed view can show every layer of the stack, not only the MoE ones (trace line {@code dense},
 * since version 3).
 *
 * @param layer a decoder layer that is not an MoE layer
 * @param norm  L2 norm of the FFN output; 0 when an intervention switched the always-on parts off
 */
public record DenseLayerOutput(long sequenceId, int position, int layer, float norm) implements TraceEvent {}
