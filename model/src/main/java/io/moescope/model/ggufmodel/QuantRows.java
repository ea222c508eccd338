package io.moescope.model.ggufmodel;

import io.moescope.model.gguf.BlockDecoder;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.tensor.KernelPool;
import io.moescope.model.tensor.Matrix;
import java.util.Objects;

/**
 * The one place where GGUF block-encoded rows become a {@link Matrix}: rows [firstRow, firstRow + rows) of a
 * {@link QuantizedMatrix}, read in place from the mapped file. This straightforward implementation decodes with
 * {@link BlockDecoder#dot}; the Vector-API kernels of {@code tensor.quant} replace it here, in {@link #of}.
 */
public final class QuantRows implements Matrix {

    private final QuantizedMatrix q;
    private final long firstRow;
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private QuantRows(QuantizedMatrix q, long firstRow, int rows) {
        this.q = q;
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = q.cols();
        this.blocksPerRow = cols / q.type().blockSize();
    }

    /** Rows [firstRow, firstRow + rows) of {@code q} as a matrix [rows, q.cols()]. */
    public static Matrix of(QuantizedMatrix q, long firstRow, int rows) {
        Objects.requireNonNull(q);
        Objects.checkFromIndexSize(firstRow, rows, q.rows());
        return new QuantRows(q, firstRow, rows);
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
        // x: [tokens, cols], y: [tokens, rows]
        BlockDecoder d = q.decoder();
        KernelPool.shared().run(rows, 8, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                long row = firstRow + r;
                for (int t = 0; t < tokens; t++) {
                    y[t * rows + r] = d.dot(q.rowBuffer(row), q.rowOffset(row), blocksPerRow, x, t * cols);
                }
            }
        });
    }

    @Override
    public long weightBytes() {
        return (long) rows * q.type().rowBytes(cols);
    }
}
