package io.moescope.model.ggufmodel;

import io.moescope.model.tensor.Matrix;
import java.util.List;

/**
 * Matrices of the same width stacked by rows (q|k|v, gate|up) whose parts are stored differently, e.g. in
 * different GGUF tensors of different block types; each part computes its own rows.
 */
final class StackedRows implements Matrix {

    private final Matrix[] parts;
    private final int rows;
    private final int cols;

    StackedRows(List<Matrix> parts) {
        this.parts = parts.toArray(new Matrix[0]);
        this.cols = this.parts[0].cols();
        int n = 0;
        for (Matrix m : this.parts) {
            if (m.cols() != cols) {
                throw new IllegalArgumentException("stacked parts of widths " + m.cols() + " and " + cols);
            }
            n += m.rows();
        }
        this.rows = n;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void apply(float[] x, int tokens, float[] y) {
        int first = 0;
        for (Matrix m : parts) {
            int pr = m.rows();
            float[] part = new float[tokens * pr]; // [tokens, pr]
            m.apply(x, tokens, part);
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(part, t * pr, y, t * rows + first, pr);
            }
            first += pr;
        }
    }

    @Override
    public long weightBytes() {
        long n = 0;
        for (Matrix m : parts) {
            n += m.weightBytes();
        }
        return n;
    }
}
