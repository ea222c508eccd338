package io.moescope.model.tensor.quant;

import io.moescope.model.gguf.BlockDecoder;
import io.moescope.model.gguf.GgmlType;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.tensor.Matrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Engine matrices over GGUF weights kept in their file encoding: the one entry point for the loader.
 * Q8_0, Q4_0, IQ4_NL, MXFP4, Q4_K, Q5_K and Q6_K have Vector API kernels that read the blocks in place; every other
 * supported type decodes a row, then multiplies it. Nothing is dequantised ahead of time: the matrix holds only
 * views of the mapped buffers.
 *
 * <p>Decode products (fewer than {@link QuantMatrix#GEMM_TOKENS} tokens) on Q8_0, Q4_K and Q6_K quantise the
 * activations to int8 first and use integer dot products ({@link Int8Kernels}), as llama.cpp does; this adds the
 * activations' rounding error (≈ 1e-2 relative per product, docs/benchmarks.md). {@code -Dmoescope.quant.activations=fp32}
 * keeps FP32 activations everywhere (exact to 1e-4 against the dequantised weights); {@code int8} is the default
 * where 512-bit vectors exist, fp32 elsewhere (the kernels are written for 512-bit shorts).
 */
public final class QuantMatrices {

    private QuantMatrices() {}

    /**
     * True if decode products use int8 activations where the type has an integer kernel: the property as it is when
     * a matrix is made (a model's matrices are made when it opens), so a test can open one model each way.
     */
    static boolean int8Activations() {
        return int8Activations(System.getProperty("moescope.quant.activations"));
    }

    static boolean int8Activations(String property) {
        if (property == null || property.isEmpty()) {
            return jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
        }
        switch (property) {
            case "int8":
                return true;
            case "fp32":
                return false;
            default:
                throw new IllegalArgumentException("moescope.quant.activations must be int8 or fp32, not " + property);
        }
    }

    /** All rows of q as an engine matrix [q.rows(), q.cols()]. */
    public static Matrix of(QuantizedMatrix q) {
        return of(q, 0, Math.toIntExact(q.rows()));
    }

    /**
     * Rows [firstRow, firstRow + rows) of q (e.g. one expert of a stacked [experts · out, in] tensor: firstRow =
     * e · out) as an engine matrix [rows, q.cols()].
     *
     * @throws IllegalArgumentException if the range is outside q or q's type cannot be decoded
     */
    public static Matrix of(QuantizedMatrix q, long firstRow, int rows) {
        return of(q, firstRow, rows, int8Activations());
    }

    /** As {@link #of(QuantizedMatrix, long, int)}, choosing the activations (int8 only where the type has a kernel). */
    static Matrix of(QuantizedMatrix q, long firstRow, int rows, boolean int8Activations) {
        Objects.requireNonNull(q);
        if (firstRow < 0 || rows <= 0 || firstRow + rows > q.rows()) {
            throw new IllegalArgumentException(q.name() + ": rows [" + firstRow + ", " + (firstRow + rows)
                    + ") outside its " + q.rows() + " rows");
        }
        GgmlType type = q.type();
        if (q.cols() % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    q.name() + ": " + q.cols() + " columns are not whole " + type + " blocks");
        }
        long rowBytes = type.rowBytes(q.cols());
        List<QuantMatrix.Segment> segments = new ArrayList<>();
        ByteBuffer current = null;
        int first = 0;
        int base = 0;
        for (int r = 0; r < rows; r++) {
            ByteBuffer buf = q.rowBuffer(firstRow + r);
            int off = q.rowOffset(firstRow + r);
            if (current != buf || off != base + (long) (r - first) * rowBytes) {
                if (current != null) {
                    segments.add(new QuantMatrix.Segment(littleEndian(current), first, r - first, base));
                }
                current = buf;
                first = r;
                base = off;
            }
        }
        segments.add(new QuantMatrix.Segment(littleEndian(current), first, rows - first, base));
        return new QuantMatrix(type, kernel(type), int8Activations ? int8Kernel(type) : null, segments, rows, q.cols());
    }

    /**
     * A weight [rows, cols] in gpt-oss's safetensors MXFP4 ({@link io.moescope.model.io.Mxfp4.Form#SAFETENSORS}):
     * {@code blocks} [rows, cols/32, 16] and {@code scales} [rows, cols/32] bytes, exactly this matrix's (e.g. one
     * expert's slice of the mapped tensors), read in place by the MXFP4 kernel; FP32 activations (MXFP4 has no
     * integer kernel), as the GGUF type.
     *
     * @throws IllegalArgumentException if cols is not whole blocks or the buffers are not that size
     */
    public static Matrix mxfp4(ByteBuffer blocks, ByteBuffer scales, int rows, int cols) {
        return new Mxfp4Matrix(blocks, scales, rows, cols);
    }

    /** The integer kernel for int8 activations, or null where the type has none (FP32 activations then). */
    static Int8RowKernel int8Kernel(GgmlType type) {
        switch (type) {
            case Q8_0:
                return Int8Kernels.Q8_0;
            case Q4_K:
                return Int8Kernels.Q4_K;
            case Q6_K:
                return Int8Kernels.Q6_K;
            default:
                return null;
        }
    }

    /** The kernel for a type: in place for the common types, decode-a-row-then-dot for the others. */
    static RowKernel kernel(GgmlType type) {
        switch (type) {
            case Q8_0:
                return LegacyKernels.Q8_0;
            case Q4_0:
                return LegacyKernels.Q4_0;
            case IQ4_NL:
                return LegacyKernels.IQ4_NL;
            case MXFP4:
                return LegacyKernels.MXFP4;
            case Q4_K:
                return KQuantKernels.Q4_K;
            case Q5_K:
                return KQuantKernels.Q5_K;
            case Q6_K:
                return KQuantKernels.Q6_K;
            default:
                return new DecodedRowKernel(BlockDecoder.of(type));
        }
    }

    /** True if the type has an in-place kernel (no row decode). */
    public static boolean inPlace(GgmlType type) {
        return !(kernel(type) instanceof DecodedRowKernel);
    }

    private static ByteBuffer littleEndian(ByteBuffer b) {
        return b.order() == ByteOrder.LITTLE_ENDIAN ? b : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}
