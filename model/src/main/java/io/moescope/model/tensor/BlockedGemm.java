package io.moescope.model.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked product for several tokens, for every weight encoding: y = x · Wᵀ where W's rows come a tile of
 * {@link #ROW_TILE} rows at a time as FP32 (read in place for a heap FP32 weight, widened once per product for BF16,
 * F16 and the GGUF block types) and x is packed column-major in tiles of {@link #TOKEN_TILE} = 2L tokens, so the
 * register kernel broadcasts one weight and multiplies it with a vector of tokens: 6 rows × 2 token vectors = 12
 * FMA accumulators, no horizontal sums. A tile of at most L/2 tokens (an expert's share of a short prompt) uses
 * half-width vectors, 12 rows × 1, so few lanes are idle (on Zen 4 a 256-bit FMA has the 512-bit throughput per
 * FLOP). Each output is one FMA chain over the columns in order, whichever kernel and thread computes it, so the
 * result does not depend on the split. Rows are split over the {@link KernelPool}; tile sizes were chosen with the
 * JMH benchmarks (docs/benchmarks.md).
 */
public final class BlockedGemm {

    /** Full float vectors (the preferred species, at most 16 lanes) and half-width ones. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() <= 16
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;
    static final int L = F.length();
    static final VectorSpecies<Float> H = VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final int LH = H.length();

    /** Tokens from which FP32/BF16/F16 products take this path instead of the per-row Vector API kernels. */
    public static final int MIN_TOKENS = Integer.getInteger("moescope.blockedMinTokens", 4);

    /** Rows per tile (the tile, ROW_TILE × cols FP32, stays in L2 with the packed x tile); a multiple of 12. */
    public static final int ROW_TILE = Math.max(12, Integer.getInteger("moescope.rowTile", 48) / 12 * 12);
    /** Tokens per packed x tile: two full vectors. */
    public static final int TOKEN_TILE = 2 * L;

    /** Writes rows [r0, r0 + n) of the weight as FP32 into dst[0 .. n · cols). */
    @FunctionalInterface
    public interface RowSource {
        void widen(int r0, int n, float[] dst);
    }

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private BlockedGemm() {
    }

    /** y[t · rows + r] = Σ_c W[r][c] · x[t · cols + c] for t < tokens, r < rows; W widened by {@code src}. */
    public static void apply(RowSource src, int rows, int cols, float[] x, int tokens, float[] y) {
        int tiles = (tokens + TOKEN_TILE - 1) / TOKEN_TILE;
        float[] xt = pack(x, tokens, cols, tiles);
        KernelPool.shared().run(rows, ROW_TILE, 12, (from, to) -> {
            float[] w = TILE.get();
            if (w.length < ROW_TILE * cols) {
                w = new float[ROW_TILE * cols];
                TILE.set(w);
            }
            for (int r0 = from; r0 < to; r0 += ROW_TILE) {
                int n = Math.min(ROW_TILE, to - r0);
                src.widen(r0, n, w);
                tiles(w, 0, n, cols, xt, tiles, tokens, y, rows, r0);
            }
        });
    }

    /** The same product for an FP32 weight [rows, cols] read in place (no tile copy). */
    public static void apply(float[] w, int rows, int cols, float[] x, int tokens, float[] y) {
        int tiles = (tokens + TOKEN_TILE - 1) / TOKEN_TILE;
        float[] xt = pack(x, tokens, cols, tiles);
        KernelPool.shared().run(rows, ROW_TILE, 12, (from, to) -> {
            for (int r0 = from; r0 < to; r0 += ROW_TILE) {
                tiles(w, r0 * cols, Math.min(ROW_TILE, to - r0), cols, xt, tiles, tokens, y, rows, r0);
            }
        });
    }

    /** x [tokens, cols] → tiles of [cols, TOKEN_TILE] (token fastest), zero-padded past the last token. */
    static float[] pack(float[] x, int tokens, int cols, int tiles) {
        float[] xt = new float[tiles * cols * TOKEN_TILE];
        for (int t = 0; t < tokens; t++) {
            int base = (t / TOKEN_TILE) * cols * TOKEN_TILE + t % TOKEN_TILE;
            int xo = t * cols;
            for (int c = 0; c < cols; c++) {
                xt[base + c * TOKEN_TILE] = x[xo + c];
            }
        }
        return xt;
    }

    /** n rows of w (row-major from wo) times every packed token tile; the rows are y's rows r0 .. r0+n. */
    private static void tiles(float[] w, int wo, int n, int cols, float[] xt, int tiles, int tokens, float[] y,
                              int rows, int r0) {
        float[] out = new float[12 * L];
        for (int j = 0; j < tiles; j++) {
            int t0 = j * TOKEN_TILE;
            int tn = Math.min(TOKEN_TILE, tokens - t0);
            int xb = j * cols * TOKEN_TILE;
            int i = 0;
            if (tn <= LH) {
                for (; i + 11 < n; i += 12) {
                    twelveHalf(w, wo + i * cols, cols, xt, xb, out);
                    store(out, 12, 1, LH, y, rows, r0 + i, t0, tn);
                }
            } else {
                for (; i + 5 < n; i += 6) {
                    if (tn > L) {
                        six(w, wo + i * cols, cols, xt, xb, out);
                        store(out, 6, 2, L, y, rows, r0 + i, t0, tn);
                    } else {
                        sixOne(w, wo + i * cols, cols, xt, xb, out);
                        store(out, 6, 1, L, y, rows, r0 + i, t0, tn);
                    }
                }
            }
            for (; i < n; i++) {
                for (int v = 0; v * L < tn; v++) {
                    one(w, wo + i * cols, cols, xt, xb + v * L, out);
                    store(out, 1, 1, L, y, rows, r0 + i, t0 + v * L, tn - v * L);
                }
            }
        }
    }

    /** Accumulator (row a, vector b) is out[(a · vecs + b) · lanes ..]; writes the valid tokens to y. */
    private static void store(float[] out, int nr, int vecs, int lanes, float[] y, int rows, int r, int t,
                              int valid) {
        for (int a = 0; a < nr; a++) {
            for (int b = 0; b < vecs; b++) {
                int o = (a * vecs + b) * lanes;
                int k1 = Math.min(lanes, valid - b * lanes);
                for (int k = 0; k < k1; k++) {
                    y[(t + b * lanes + k) * rows + r + a] = out[o + k];
                }
            }
        }
    }

    /** Six rows from w[wo], two token vectors from xt[xo] (stride TOKEN_TILE per column). */
    private static void six(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a40 = a00;
        FloatVector a41 = a00;
        FloatVector a50 = a00;
        FloatVector a51 = a00;
        for (int c = 0; c < cols; c++) {
            int xc = xo + c * TOKEN_TILE;
            FloatVector x0 = FloatVector.fromArray(F, xt, xc);
            FloatVector x1 = FloatVector.fromArray(F, xt, xc + L);
            int wc = wo + c;
            FloatVector b = FloatVector.broadcast(F, w[wc]);
            a00 = b.fma(x0, a00);
            a01 = b.fma(x1, a01);
            b = FloatVector.broadcast(F, w[wc + cols]);
            a10 = b.fma(x0, a10);
            a11 = b.fma(x1, a11);
            b = FloatVector.broadcast(F, w[wc + 2 * cols]);
            a20 = b.fma(x0, a20);
            a21 = b.fma(x1, a21);
            b = FloatVector.broadcast(F, w[wc + 3 * cols]);
            a30 = b.fma(x0, a30);
            a31 = b.fma(x1, a31);
            b = FloatVector.broadcast(F, w[wc + 4 * cols]);
            a40 = b.fma(x0, a40);
            a41 = b.fma(x1, a41);
            b = FloatVector.broadcast(F, w[wc + 5 * cols]);
            a50 = b.fma(x0, a50);
            a51 = b.fma(x1, a51);
        }
        a00.intoArray(out, 0);
        a01.intoArray(out, L);
        a10.intoArray(out, 2 * L);
        a11.intoArray(out, 3 * L);
        a20.intoArray(out, 4 * L);
        a21.intoArray(out, 5 * L);
        a30.intoArray(out, 6 * L);
        a31.intoArray(out, 7 * L);
        a40.intoArray(out, 8 * L);
        a41.intoArray(out, 9 * L);
        a50.intoArray(out, 10 * L);
        a51.intoArray(out, 11 * L);
    }

    /** Six rows, one token vector. */
    private static void sixOne(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        for (int c = 0; c < cols; c++) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE);
            int wc = wo + c;
            a0 = FloatVector.broadcast(F, w[wc]).fma(x0, a0);
            a1 = FloatVector.broadcast(F, w[wc + cols]).fma(x0, a1);
            a2 = FloatVector.broadcast(F, w[wc + 2 * cols]).fma(x0, a2);
            a3 = FloatVector.broadcast(F, w[wc + 3 * cols]).fma(x0, a3);
            a4 = FloatVector.broadcast(F, w[wc + 4 * cols]).fma(x0, a4);
            a5 = FloatVector.broadcast(F, w[wc + 5 * cols]).fma(x0, a5);
        }
        a0.intoArray(out, 0);
        a1.intoArray(out, L);
        a2.intoArray(out, 2 * L);
        a3.intoArray(out, 3 * L);
        a4.intoArray(out, 4 * L);
        a5.intoArray(out, 5 * L);
    }

    /** Twelve rows, one half-width token vector (tiles of at most L/2 tokens). */
    private static void twelveHalf(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector a0 = FloatVector.zero(H);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        FloatVector a10 = a0;
        FloatVector a11 = a0;
        for (int c = 0; c < cols; c++) {
            FloatVector x0 = FloatVector.fromArray(H, xt, xo + c * TOKEN_TILE);
            int wc = wo + c;
            a0 = FloatVector.broadcast(H, w[wc]).fma(x0, a0);
            a1 = FloatVector.broadcast(H, w[wc + cols]).fma(x0, a1);
            a2 = FloatVector.broadcast(H, w[wc + 2 * cols]).fma(x0, a2);
            a3 = FloatVector.broadcast(H, w[wc + 3 * cols]).fma(x0, a3);
            a4 = FloatVector.broadcast(H, w[wc + 4 * cols]).fma(x0, a4);
            a5 = FloatVector.broadcast(H, w[wc + 5 * cols]).fma(x0, a5);
            a6 = FloatVector.broadcast(H, w[wc + 6 * cols]).fma(x0, a6);
            a7 = FloatVector.broadcast(H, w[wc + 7 * cols]).fma(x0, a7);
            a8 = FloatVector.broadcast(H, w[wc + 8 * cols]).fma(x0, a8);
            a9 = FloatVector.broadcast(H, w[wc + 9 * cols]).fma(x0, a9);
            a10 = FloatVector.broadcast(H, w[wc + 10 * cols]).fma(x0, a10);
            a11 = FloatVector.broadcast(H, w[wc + 11 * cols]).fma(x0, a11);
        }
        a0.intoArray(out, 0);
        a1.intoArray(out, LH);
        a2.intoArray(out, 2 * LH);
        a3.intoArray(out, 3 * LH);
        a4.intoArray(out, 4 * LH);
        a5.intoArray(out, 5 * LH);
        a6.intoArray(out, 6 * LH);
        a7.intoArray(out, 7 * LH);
        a8.intoArray(out, 8 * LH);
        a9.intoArray(out, 9 * LH);
        a10.intoArray(out, 10 * LH);
        a11.intoArray(out, 11 * LH);
    }

    /** One row, one token vector (the row tail). */
    private static void one(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector a = FloatVector.zero(F);
        for (int c = 0; c < cols; c++) {
            a = FloatVector.broadcast(F, w[wo + c]).fma(FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE), a);
        }
        a.intoArray(out, 0);
    }
}
