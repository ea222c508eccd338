package io.moescope.model.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An FP32 weight held in an ND4J array [out, in]; products go through BLAS as {@code gemm(x, W, y, false, true)}
 * (the transposed view streams the weight rows contiguously, the fast path measured here).
 */
public final class NdMatrix implements Matrix {

    private final INDArray weight; // [rows, cols]
    private final int rows;
    private final int cols;

    public NdMatrix(float[] data, int rows, int cols) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.weight = Nd4j.create(data, new long[] {rows, cols}, 'c');
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
        INDArray in = Nd4j.create(
                x.length == tokens * cols ? x : java.util.Arrays.copyOf(x, tokens * cols),
                new long[] {tokens, cols},
                'c');
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, tokens, rows);
        Nd4j.gemm(in, weight, out, false, true, 1.0, 0.0);
        float[] result = out.data().asFloat();
        System.arraycopy(result, 0, y, 0, tokens * rows);
    }

    @Override
    public long weightBytes() {
        return 4L * rows * cols;
    }

    /** The underlying array (for tests and kernels that want ND4J directly). */
    public INDArray array() {
        return weight;
    }
}
