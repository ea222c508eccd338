package io.moescope.model.api;

/**
 * Where to capture the full arithmetic of one MoE layer for one token: a decoder layer index and an absolute
 * position. A request from a caller; the engine answers with a {@link LayerCapture}.
 *
 * @param layer    decoder layer index (must be an MoE layer)
 * @param position absolute position in the sequence, from 0
 */
public record CapturePoint(int layer, int position) {

    public CapturePoint {
        if (layer < 0 || position < 0) {
            throw new IllegalArgumentException(
                    "capture point needs a layer and a position ≥ 0, got layer " + layer + ", position " + position);
        }
    }
}
