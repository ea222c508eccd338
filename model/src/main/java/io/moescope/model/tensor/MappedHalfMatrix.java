package io.moescope.model.tensor;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A BF16 or F16 weight [rows, cols] left in its memory-mapped file (no FP32 copy; the page cache holds it), read and
 * widened exactly to FP32 by {@link VectorKernels} with FP32 accumulation, split over output rows on the
 * {@link KernelPool}. Stacked weights (q|k|v, gate|up) are several segments, one mapping each.
 */
public final class MappedHalfMatrix implements Matrix {

    /** Consecutive rows [firstRow, firstRow + rows) of the matrix, row-major BF16 in {@code buf} from byte 0. */
    public record Segment(ByteBuffer buf, int firstRow, int rows) {}

    /**
     * Matrices at least this big (bytes) are read row by row in one sequential stream for single-token products;
     * smaller ones, which stay in the caches, use the four-row kernel that shares each x load.
     */
    static final long STREAM_BYTES = Long.getLong("moescope.streamBytes", 1L << 20);

    /**
     * BF16 products of 2 to this many tokens (an expert's share of a prompt) take {@link VectorKernels#bf16Block},
     * which widens each 4-row group from an L1 copy of its bytes as it goes, instead of a widened FP32 tile and
     * {@link BlockedGemm}: with one token tile the
     * tile's widening and its half-empty vectors cost more than the products (1.1–2.5× faster at 3–16 tokens on
     * OLMoE's expert shapes, the same at 2 and slower from 32; docs/benchmarks.md). 0 turns it off.
     */
    static final int FUSED_TOKENS = Integer.getInteger("moescope.fusedTokens", 16);

    private final Segment[] segments;
    private final boolean f16;
    private final int rows;
    private final int cols;

    /** BF16 weights. */
    public MappedHalfMatrix(List<Segment> segments, int cols) {
        this(segments, cols, false);
    }

    /** @param f16 true for IEEE half, false for BF16 */
    public MappedHalfMatrix(List<Segment> segments, int cols, boolean f16) {
        this.f16 = f16;
        this.segments = segments.toArray(new Segment[0]);
        this.cols = cols;
        int n = 0;
        for (Segment s : this.segments) {
            if (s.firstRow() != n || (long) s.rows() * cols * 2 > s.buf().capacity()) {
                throw new IllegalArgumentException("segments must be consecutive and hold rows x cols 16-bit values");
            }
            n += s.rows();
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
        long macs = (long) rows * cols * tokens;
        float[] in = f16 ? x : VectorKernels.deinterleave(x, tokens, cols);
        if (tokens >= TiledGemm.MIN_TOKENS && macs >= HeapMatrix.PARALLEL_MACS) {
            TiledGemm.apply(
                    (r0, n, dst) -> KernelPool.shared()
                            .run(n, 64, 1, (from, to) -> widenRows(r0 + from, to - from, dst, from * cols)),
                    rows,
                    cols,
                    in,
                    tokens,
                    y);
            return;
        }
        if (tokens >= BlockedGemm.MIN_TOKENS && (f16 || tokens > FUSED_TOKENS)) {
            BlockedGemm.apply((r0, n, dst) -> widenRows(r0, n, dst, 0), rows, cols, in, tokens, y);
            return;
        }
        if (macs < HeapMatrix.PARALLEL_MACS) {
            range(in, tokens, y, 0, rows);
            return;
        }
        int minRows = (int) Math.max(4, (HeapMatrix.PARALLEL_MACS / 2) / ((long) cols * tokens));
        KernelPool.shared().run(rows, minRows, 4, macs, (from, to) -> range(in, tokens, y, from, to));
    }

    /** Rows [r0, r0+n) widened to FP32 into dst[dstOff ..] (BF16: in deinterleaved column order). */
    private void widenRows(int r0, int n, float[] dst, int dstOff) {
        for (Segment s : segments) {
            int lo = Math.max(r0, s.firstRow());
            int hi = Math.min(r0 + n, s.firstRow() + s.rows());
            if (lo < hi && f16) {
                VectorKernels.widenTo(
                        s.buf(),
                        true,
                        2 * (lo - s.firstRow()) * cols,
                        dst,
                        dstOff + (lo - r0) * cols,
                        (hi - lo) * cols);
            } else if (lo < hi) {
                VectorKernels.widenBf16EvenOdd(
                        s.buf(), 2 * (lo - s.firstRow()) * cols, cols, hi - lo, dst, dstOff + (lo - r0) * cols);
            }
        }
    }

    /** x is deinterleaved ({@link VectorKernels#deinterleave}) for BF16, as given for F16. */
    private void range(float[] x, int tokens, float[] y, int from, int to) {
        for (Segment s : segments) {
            int lo = Math.max(from, s.firstRow());
            int hi = Math.min(to, s.firstRow() + s.rows());
            if (lo < hi) {
                if (f16) {
                    VectorKernels.half(
                            s.buf(),
                            true,
                            cols,
                            x,
                            tokens,
                            y,
                            rows,
                            s.firstRow(),
                            lo - s.firstRow(),
                            hi - s.firstRow());
                } else if (tokens == 1 && weightBytes() >= STREAM_BYTES) {
                    VectorKernels.bf16EvenOddStream(
                            s.buf(), cols, x, y, s.firstRow(), lo - s.firstRow(), hi - s.firstRow());
                } else if (tokens >= 2 && tokens <= FUSED_TOKENS) {
                    VectorKernels.bf16Block(
                            s.buf(), cols, x, tokens, y, rows, s.firstRow(), lo - s.firstRow(), hi - s.firstRow());
                } else {
                    VectorKernels.bf16EvenOdd(
                            s.buf(), cols, x, tokens, y, rows, s.firstRow(), lo - s.firstRow(), hi - s.firstRow());
                }
            }
        }
    }

    @Override
    public long weightBytes() {
        return 2L * rows * cols;
    }
}
