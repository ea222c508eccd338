package io.moescope.model.tensor;

/**
 * An FP32 weight [rows, cols] in a heap array, products by {@link VectorKernels} (no per-call native overhead, which
 * dominates for the small matrices of a teaching-sized model), split over output rows on the {@link KernelPool}
 * when the product is large enough to pay for the hand-off.
 */
public final class HeapMatrix implements Matrix {

    /**
     * Products below this many multiply-adds run on the calling thread only, for every weight encoding. 2^20 made the
     * embedded model 1.2-1.5x faster but OLMoE-shaped Q4_K_M decode 0.7x (docs/benchmarks.md "The window's decode
     * against bench"), so it stays 2^18.
     */
    public static final long PARALLEL_MACS = Long.getLong("moescope.parallelMacs", 1L << 18);

    private final float[] w;
    private final int rows;
    private final int cols;

    public HeapMatrix(float[] w, int rows, int cols) {
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException(
                    rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + w.length);
        }
        this.w = w;
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
        long macs = (long) rows * cols * tokens;
        if (tokens >= TiledGemm.MIN_TOKENS && macs >= PARALLEL_MACS) {
            TiledGemm.apply((r0, n, dst) -> System.arraycopy(w, r0 * cols, dst, 0, n * cols), rows, cols, x, tokens, y);
            return;
        }
        if (tokens >= BlockedGemm.MIN_TOKENS) {
            BlockedGemm.apply(w, rows, cols, x, tokens, y);
            return;
        }
        if (macs < PARALLEL_MACS) {
            VectorKernels.f32(w, cols, x, tokens, y, rows, 0, 0, rows);
            return;
        }
        int minRows = (int) Math.max(4, (PARALLEL_MACS / 2) / ((long) cols * tokens));
        KernelPool.shared()
                .run(rows, minRows, 4, macs, (from, to) -> VectorKernels.f32(w, cols, x, tokens, y, rows, 0, from, to));
    }

    @Override
    public long weightBytes() {
        return 4L * rows * cols;
    }
}
