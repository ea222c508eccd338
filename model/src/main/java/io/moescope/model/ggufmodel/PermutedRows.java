package io.moescope.model.ggufmodel;

import io.moescope.model.tensor.Matrix;

/**
 * A matrix whose row r is row {@code order[r]} of another: the q/k projections of {@code llama}/{@code deepseek}
 * GGUF files, whose rows the converter permuted to interleaved RoPE, and gpt-oss's gate/up rows, which llama.cpp
 * stores de-interleaved. The stored rows are multiplied as they are
 * (so any block kernel serves) and the outputs are put back in Hugging Face order.
 */
public final class PermutedRows implements Matrix {

    private final Matrix stored;
    private final int[] order;

    public PermutedRows(Matrix stored, int[] order) {
        if (order.length != stored.rows()) {
            throw new IllegalArgumentException(order.length + " row indices for " + stored.rows() + " rows");
        }
        this.stored = stored;
        this.order = order.clone();
    }

    @Override
    public int rows() {
        return order.length;
    }

    @Override
    public int cols() {
        return stored.cols();
    }

    @Override
    public void apply(float[] x, int tokens, float[] y) {
        int rows = order.length;
        float[] raw = new float[tokens * rows]; // [tokens, rows] in file order
        stored.apply(x, tokens, raw);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                y[t * rows + r] = raw[t * rows + order[r]];
            }
        }
    }

    @Override
    public long weightBytes() {
        return stored.weightBytes();
    }
}
