package io.moescope.model.ggufmodel;

import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.quant.QuantMatrices;

/**
 * The one place where GGUF block-encoded rows become a {@link Matrix}: rows [firstRow, firstRow + rows) of a
 * {@link QuantizedMatrix}, read in place from the mapped file by the Vector-API kernels of {@code tensor.quant}
 * (decode and blocked prefill; nothing is dequantised ahead of time).
 */
public final class QuantRows {

    private QuantRows() {
    }

    /** Rows [firstRow, firstRow + rows) of {@code q} as a matrix [rows, q.cols()]. */
    public static Matrix of(QuantizedMatrix q, long firstRow, int rows) {
        return QuantMatrices.of(q, firstRow, rows);
    }
}
