package io.moescope.model.tensor;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.WeightStore;
import java.util.List;

/**
 * Turns stored weights into {@link Matrix} objects; the choice of kernel (FP32 in ND4J, or weights kept in their
 * file dtype) is made here and nowhere else.
 */
public interface MatrixFactory {

    /** A matrix whose rows are the given blocks, stacked in order (e.g. q|k|v or gate|up). */
    Matrix stack(WeightStore store, List<RowBlock> blocks) throws ModelLoadException;

    /** FP32 copies of the weights in ND4J arrays, products through BLAS. */
    MatrixFactory FP32 = (store, blocks) -> {
        int cols = blocks.get(0).cols();
        int rows = 0;
        for (RowBlock b : blocks) {
            if (b.cols() != cols) {
                throw new IllegalArgumentException("row blocks of different widths: " + b.cols() + " vs " + cols);
            }
            rows += b.rows();
        }
        float[] all = new float[Math.multiplyExact(rows, cols)];
        int off = 0;
        for (RowBlock b : blocks) {
            store.readRows(b.tensor(), b.firstRow(), b.rows(), all, off);
            off += b.rows() * cols;
        }
        return new NdMatrix(all, rows, cols);
    };
}
