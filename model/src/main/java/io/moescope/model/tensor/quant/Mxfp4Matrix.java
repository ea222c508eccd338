package io.moescope.model.tensor.quant;

import io.moescope.model.io.Mxfp4;
import io.moescope.model.tensor.BlockedGemm;
import io.moescope.model.tensor.Matrix;
import java.nio.ByteBuffer;

/**
 * A weight [rows, cols] in gpt-oss's safetensors MXFP4, read in place from the mapped {@code *_blocks} and
 * {@code *_scales} bytes by the one MXFP4 kernel ({@link LegacyKernels#mxfp4Dot}, the GGUF type's). That kernel
 * reads a block's low nibbles as its elements 0..15; here byte i holds elements 2i and 2i + 1
 * ({@link Mxfp4.Form#SAFETENSORS}). Rather than shuffle every weight block, each product reorders the activations
 * once, within each 32-block, into the order the kernel reads the weights in (x'[i] = x[2i], x'[16 + i] = x[2i + 1]):
 * a dot product over a permuted pair is the same sum. Decode (fewer than {@link QuantMatrix#GEMM_TOKENS} tokens)
 * runs the kernel row by row, split over the kernel pool; prefill is {@link BlockedGemm} over rows widened (in the
 * same reordered columns) once per product. Nothing is copied at load: the matrix holds the two mapped views.
 */
final class Mxfp4Matrix implements Matrix {

    /** Kernel-order column p of a block takes element GATHER[p] of the activations' block. */
    private static final int[] GATHER = new int[Mxfp4.BLOCK];

    static {
        for (int i = 0; i < Mxfp4.BLOCK_BYTES; i++) {
            GATHER[i] = Mxfp4.Form.SAFETENSORS.element(i, false);
            GATHER[Mxfp4.BLOCK_BYTES + i] = Mxfp4.Form.SAFETENSORS.element(i, true);
        }
    }

    private final ByteBuffer blocks; // [rows, cols/32, 16] uint8
    private final ByteBuffer scales; // [rows, cols/32] uint8
    private final int rows;
    private final int cols;
    private final int perRow;

    /** blocks and scales cover exactly this matrix's rows (e.g. one expert's slice of a stacked tensor). */
    Mxfp4Matrix(ByteBuffer blocks, ByteBuffer scales, int rows, int cols) {
        if (cols % Mxfp4.BLOCK != 0) {
            throw new IllegalArgumentException("MXFP4 rows must be a multiple of 32 wide, got " + cols);
        }
        this.perRow = cols / Mxfp4.BLOCK;
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
    public long weightBytes() {
        return (long) rows * perRow * (Mxfp4.BLOCK_BYTES + 1);
    }

    @Override
    public void apply(float[] x, int tokens, float[] y) {
        float[] xk = kernelOrder(x, tokens * cols);
        if (tokens >= QuantMatrix.GEMM_TOKENS) {
            BlockedGemm.apply(this::widenRows, rows, cols, xk, tokens, y);
            return;
        }
        QuantMatrix.split(rows, cols, tokens, (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < tokens; t++) {
                    y[t * rows + r] = LegacyKernels.mxfp4Dot(
                            blocks,
                            r * perRow * Mxfp4.BLOCK_BYTES,
                            Mxfp4.BLOCK_BYTES,
                            scales,
                            r * perRow,
                            1,
                            LegacyKernels.SAFETENSORS_HALF_SCALES,
                            perRow,
                            xk,
                            t * cols);
                }
            }
        });
    }

    /** x[0 .. n) with each 32-block's elements in the kernel's order (see the class comment). */
    static float[] kernelOrder(float[] x, int n) {
        float[] out = new float[n];
        for (int b = 0; b < n; b += Mxfp4.BLOCK) {
            for (int p = 0; p < Mxfp4.BLOCK; p++) {
                out[b + p] = x[b + GATHER[p]];
            }
        }
        return out;
    }

    /** Rows [r0, r0 + n) widened to FP32 into dst[0 .. n · cols), each block's columns in the kernel's order. */
    void widenRows(int r0, int n, float[] dst) {
        float[] half = LegacyKernels.SAFETENSORS_HALF_SCALES;
        for (int r = r0; r < r0 + n; r++) {
            int k0 = r * perRow;
            int d = (r - r0) * cols;
            for (int k = 0; k < perRow; k++) {
                LegacyKernels.mxfp4Block(
                        blocks,
                        (k0 + k) * Mxfp4.BLOCK_BYTES,
                        half[scales.get(k0 + k) & 0xFF],
                        dst,
                        d + Mxfp4.BLOCK * k);
            }
        }
    }

    @Override
    public String toString() {
        return "MXFP4 (safetensors) " + rows + "x" + cols;
    }
}
