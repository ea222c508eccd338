package io.moescope.model.tensor;

import io.moescope.model.io.Mxfp4;
import java.nio.ByteBuffer;

/**
 * A weight matrix [rows, cols] kept in MXFP4 in the memory-mapped file: each product decodes one row at a time from
 * the packed blocks and their E8M0 scales (see {@link Mxfp4}) and never holds the FP32 matrix.
 */
public final class Mxfp4Matrix implements Matrix {

    private final ByteBuffer blocks; // [rows, cols/32, 16] uint8
    private final ByteBuffer scales; // [rows, cols/32] uint8
    private final int rows;
    private final int cols;

    /** blocks and scales cover exactly this matrix's rows (e.g. one expert's slice of a stacked tensor). */
    public Mxfp4Matrix(ByteBuffer blocks, ByteBuffer scales, int rows, int cols) {
        if (cols % Mxfp4.BLOCK != 0) {
            throw new IllegalArgumentException("MXFP4 rows must be a multiple of 32 wide, got " + cols);
        }
        int perRow = cols / Mxfp4.BLOCK;
        if (blocks.capacity() != (long) rows * perRow * Mxfp4.BLOCK_BYTES
                || scales.capacity() != (long) rows * perRow) {
            throw new IllegalArgumentException("MXFP4 buffers do not hold " + rows + " rows of " + cols);
        }
        this.blocks = blocks;
        this.scales = scales;
        this.rows = rows;
        this.cols = cols;
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
        int perRow = cols / Mxfp4.BLOCK;
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            Mxfp4.decodeRow(blocks, r * perRow * Mxfp4.BLOCK_BYTES, scales, r * perRow, perRow, row, 0);
            for (int t = 0; t < tokens; t++) {
                y[t * rows + r] = VectorKernels.dot(row, 0, x, t * cols, cols);
            }
        }
    }

    @Override
    public long weightBytes() {
        return (long) rows * (cols / Mxfp4.BLOCK) * (Mxfp4.BLOCK_BYTES + 1);
    }
}
