package io.moescope.model.layer;

/**
 * One position of a causal depthwise 1-D convolution with a rolling input state, as Gated DeltaNet and LFM2's short
 * convolution use it (PyTorch {@code Conv1d(groups=channels, padding=kernel-1)} truncated to the causal outputs):
 * <pre>
 *   out[c] = bias[c] + Σ_j w[c, j] · input[t − kernel + 1 + j][c]      j = 0 .. kernel−1
 * </pre>
 * The state holds the last kernel − 1 inputs [kernel − 1, channels], oldest first, zeros before the first position.
 */
final class CausalConv {

    private CausalConv() {}

    /**
     * Convolves position t's input {@code in[inOff .. inOff+channels)} with the state, writes out[0 .. channels) and
     * shifts the input into the state.
     *
     * @param w    [channels, kernel] weights
     * @param bias [channels], or null
     */
    static void step(
            float[] w, float[] bias, int channels, int kernel, float[] in, int inOff, float[] state, float[] out) {
        int rows = kernel - 1;
        for (int ch = 0; ch < channels; ch++) {
            float input = in[inOff + ch];
            double acc = w[ch * kernel + rows] * input;
            for (int j = 0; j < rows; j++) {
                acc += w[ch * kernel + j] * state[j * channels + ch];
            }
            for (int j = 0; j + 1 < rows; j++) {
                state[j * channels + ch] = state[(j + 1) * channels + ch];
            }
            if (rows > 0) {
                state[(rows - 1) * channels + ch] = input;
            }
            out[ch] = bias == null ? (float) acc : (float) (acc + bias[ch]);
        }
    }
}
