package io.moescope.model.tensor.quant;

import io.moescope.model.gguf.GgmlType;
import io.moescope.model.tensor.BlockedGemm;
import io.moescope.model.tensor.KernelPool;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.VectorKernels;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A ggml-block weight [rows, cols] read in place from its mapped file bytes. One token: each row's blocks are read
 * once, in file order (one sequential stream per thread), by the type's {@link RowKernel}. Several tokens
 * ({@link #GEMM_TOKENS} or more): the blocked {@link io.moescope.model.tensor.BlockedGemm}, each block widened once per product. Work is
 * split over output rows on the {@link KernelPool}; the result does not depend on the split.
 */
final class QuantMatrix implements Matrix {

    /** Products below this many multiply-adds run on the calling thread only: the one threshold of all matrices. */
    static final long PARALLEL_MACS = io.moescope.model.tensor.HeapMatrix.PARALLEL_MACS;
    /** Tokens from which a product widens its rows once (few-token or blocked product) instead of one pass per token. */
    static final int GEMM_TOKENS = Integer.getInteger("moescope.quant.gemmTokens", 4);
    /** Up to this many tokens (from GEMM_TOKENS) a product takes {@link #fusedRange} instead of the blocked one. */
    static final int FUSED_TOKENS = Integer.getInteger("moescope.quant.fusedTokens", 5);
    /** Rows widened at a time by {@link #fusedRange}. */
    static final int FUSED_ROWS = 4;

    /** Rows [first, first + count) of this matrix, row r at byte {@code offset + (r − first) · rowBytes}. */
    record Segment(ByteBuffer buf, int first, int count, int offset) {}

    private final GgmlType type;
    private final RowKernel kernel;
    /** The integer kernel for decode, or null: FP32 activations ({@link RowKernel#dot}). */
    private final Int8RowKernel int8;

    private final Segment[] segments;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final int blocks;

    QuantMatrix(GgmlType type, RowKernel kernel, Int8RowKernel int8, List<Segment> segments, int rows, int cols) {
        this.type = type;
        this.kernel = kernel;
        this.int8 = int8;
        this.segments = segments.toArray(new Segment[0]);
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = (int) type.rowBytes(cols);
        this.blocks = cols / type.blockSize();
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
        return (long) rows * rowBytes;
    }

    GgmlType type() {
        return type;
    }

    @Override
    public void apply(float[] x, int tokens, float[] y) {
        if (tokens >= GEMM_TOKENS && tokens <= FUSED_TOKENS) {
            split(rows, cols, tokens, (from, to) -> fusedRange(x, tokens, y, from, to));
            return;
        }
        if (tokens >= GEMM_TOKENS) {
            BlockedGemm.apply(this::widenRows, rows, cols, x, tokens, y);
            return;
        }
        if (int8 != null) {
            Q8Activations a = Q8Activations.quantize(x, tokens, cols, int8.activationBlock(), int8.codeOrder());
            split(rows, cols, tokens, (from, to) -> int8Range(a, tokens, y, from, to));
            return;
        }
        float[] sums = null;
        if (kernel.needsSums()) {
            sums = new float[tokens * (cols / 32)];
            for (int t = 0; t < tokens; t++) {
                RowKernel.sums32(x, t * cols, cols, sums, t * (cols / 32));
            }
        }
        float[] s = sums;
        split(rows, cols, tokens, (from, to) -> range(x, tokens, s, y, from, to));
    }

    /** Rows [0, rows) of a [rows, cols] product on this thread if it is small, else over the kernel pool. */
    static void split(int rows, int cols, int tokens, KernelPool.RangeTask task) {
        long macs = (long) rows * cols * tokens;
        if (macs < PARALLEL_MACS) {
            task.run(0, rows);
            return;
        }
        int minRows = (int) Math.max(4, (PARALLEL_MACS / 2) / ((long) cols * tokens));
        KernelPool.shared().run(rows, minRows, 1, macs, task);
    }

    /** As {@link #range}, with the integer kernel on quantised activations. */
    private void int8Range(Q8Activations a, int tokens, float[] y, int from, int to) {
        for (Segment seg : segments) {
            int lo = Math.max(from, seg.first());
            int hi = Math.min(to, seg.first() + seg.count());
            ByteBuffer b = seg.buf();
            for (int r = lo; r < hi; r++) {
                int off = seg.offset() + (r - seg.first()) * rowBytes;
                for (int t = 0; t < tokens; t++) {
                    y[t * rows + r] = int8.dot(b, off, blocks, a, t);
                }
            }
        }
    }

    /** Rows [from, to) for every token, one row at a time in file order. */
    private void range(float[] x, int tokens, float[] sums, float[] y, int from, int to) {
        float[] row = new float[cols];
        int sumStride = cols / 32;
        for (Segment seg : segments) {
            int lo = Math.max(from, seg.first());
            int hi = Math.min(to, seg.first() + seg.count());
            ByteBuffer b = seg.buf();
            for (int r = lo; r < hi; r++) {
                int off = seg.offset() + (r - seg.first()) * rowBytes;
                for (int t = 0; t < tokens; t++) {
                    y[t * rows + r] = kernel.dot(b, off, blocks, x, t * cols, sums, t * sumStride, row);
                }
            }
        }
    }

    /**
     * Rows [from, to) for a few tokens: {@link #FUSED_ROWS} rows at a time widened to FP32 into an L1-sized buffer,
     * then each widened row against four tokens at a time ({@link VectorKernels#f32}), every lane of every FMA a
     * useful product where the blocked product's token vectors would be mostly empty.
     */
    private void fusedRange(float[] x, int tokens, float[] y, int from, int to) {
        float[] buf = new float[FUSED_ROWS * cols];
        for (int r0 = from; r0 < to; r0 += FUSED_ROWS) {
            int n = Math.min(FUSED_ROWS, to - r0);
            widenRows(r0, n, buf);
            VectorKernels.f32(buf, cols, x, tokens, y, rows, r0, 0, n);
        }
    }

    /** Rows [r0, r0 + n) widened to FP32 into dst[0 .. n · cols). */
    void widenRows(int r0, int n, float[] dst) {
        for (Segment seg : segments) {
            int lo = Math.max(r0, seg.first());
            int hi = Math.min(r0 + n, seg.first() + seg.count());
            for (int r = lo; r < hi; r++) {
                kernel.widen(seg.buf(), seg.offset() + (r - seg.first()) * rowBytes, blocks, dst, (r - r0) * cols);
            }
        }
    }

    @Override
    public String toString() {
        return type + " " + rows + "x" + cols + " (" + segments.length + " segment" + (segments.length == 1 ? "" : "s")
                + ")";
    }
}
