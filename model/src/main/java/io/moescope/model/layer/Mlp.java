package io.moescope.model.layer;

import io.moescope.model.tensor.Matrix;

/**
 * Gated feed-forward: down · (act(gate·x) ⊙ (up·x)), act = SiLU (SwiGLU) or, for Gemma 4, GELU with the tanh
 * approximation (transformers' gelu_pytorch_tanh). gate and up are fused into one [2I, H] product.
 */
public final class Mlp implements Expert {

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private final Matrix gateUp; // [2I, H]: rows 0..I-1 gate, I..2I-1 up
    private final Matrix down; // [H, I]
    private final int width;
    private final boolean geluTanh;

    /** A SwiGLU MLP. */
    public Mlp(Matrix gateUp, Matrix down) {
        this(gateUp, down, false);
    }

    /** geluTanh: act = 0.5·a·(1 + tanh(√(2/π)·(a + 0.044715·a³))) instead of SiLU. */
    public Mlp(Matrix gateUp, Matrix down, boolean geluTanh) {
        if (gateUp.rows() != 2 * down.cols() || gateUp.cols() != down.rows()) {
            throw new IllegalArgumentException("inconsistent MLP shapes: gate_up " + gateUp.rows() + "x" + gateUp.cols()
                    + ", down " + down.rows() + "x" + down.cols());
        }
        this.gateUp = gateUp;
        this.down = down;
        this.width = down.cols();
        this.geluTanh = geluTanh;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public long weightBytes() {
        return gateUp.weightBytes() + down.weightBytes();
    }

    /** out [tokens, H] = MLP(x [tokens, H]). */
    @Override
    public void apply(float[] x, int tokens, float[] out) {
        float[] gu = new float[tokens * 2 * width]; // [tokens, 2I]
        gateUp.apply(x, tokens, gu);
        float[] act = new float[tokens * width]; // [tokens, I]
        for (int t = 0; t < tokens; t++) {
            int g = t * 2 * width;
            for (int i = 0; i < width; i++) {
                float a = gu[g + i];
                float f = geluTanh
                        ? (float) (0.5 * a * (1 + Math.tanh(GELU_C * (a + 0.044715 * a * a * a))))
                        : a / (1f + (float) Math.exp(-a));
                act[t * width + i] = f * gu[g + width + i];
            }
        }
        down.apply(act, tokens, out);
    }
}
