package io.moescope.model.tensor.quant;

import static io.moescope.model.tensor.quant.Lanes.F;
import static io.moescope.model.tensor.quant.Lanes.L;

import io.moescope.model.tensor.KernelPool;
import jdk.incubator.vector.FloatVector;

/**
 * The blocked product for several tokens: y = x · Wᵀ where W's rows are widened to FP32 a tile of
 * {@link #ROW_TILE} rows at a time (each weight block decoded once per product) and x is packed column-major in
 * tiles of {@link #TOKEN_TILE} tokens, so the register kernel broadcasts one weight and multiplies it with L
 * tokens at once: 6 rows × 2 token vectors = 12 FMA accumulators, no horizontal sums. Each output is one FMA chain
 * over the columns in order, whichever kernel and thread computes it, so the result does not depend on the split.
 * Rows are split over the {@link KernelPool}; tile sizes were chosen with the JMH benchmark (docs/benchmarks.md).
 */
final class PrefillGemm {

    /** Rows widened per tile (the tile, ROW_TILE × cols FP32, stays in L2 with the packed x tile). */
    static final int ROW_TILE = Integer.getInteger("moescope.quant.rowTile", 48);
    /** Tokens per packed x tile, a multiple of 2L. */
    static final int TOKEN_TILE = Math.max(2 * L, Integer.getInteger("moescope.quant.tokenTile", 32) / (2 * L) * (2 * L));

    /** Widens rows [r0, r0 + n) of the weight to FP32 into dst[0 .. n · cols). */
    interface RowSource {
        void widen(int r0, int n, float[] dst);
    }

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private PrefillGemm() {
    }

    /** y[t · rows + r] = Σ_c W[r][c] · x[t · cols + c] for t < tokens, r < rows. */
    static void apply(RowSource src, int rows, int cols, float[] x, int tokens, float[] y) {
        int tiles = (tokens + TOKEN_TILE - 1) / TOKEN_TILE;
        float[] xt = pack(x, tokens, cols, tiles);
        KernelPool.shared().run(rows, ROW_TILE, 1, (from, to) -> {
            float[] w = TILE.get();
            if (w.length < ROW_TILE * cols) {
                w = new float[ROW_TILE * cols];
                TILE.set(w);
            }
            for (int r0 = from; r0 < to; r0 += ROW_TILE) {
                int n = Math.min(ROW_TILE, to - r0);
                src.widen(r0, n, w);
                for (int j = 0; j < tiles; j++) {
                    int t0 = j * TOKEN_TILE;
                    tile(w, n, cols, xt, j * cols * TOKEN_TILE, Math.min(TOKEN_TILE, tokens - t0), y, rows, r0, t0);
                }
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

    /** n widened rows (w, row-major) times one packed token tile of tn tokens starting at token t0. */
    private static void tile(float[] w, int n, int cols, float[] xt, int xb, int tn, float[] y, int rows, int r0,
                             int t0) {
        int vectors = (tn + L - 1) / L;
        float[] out = new float[12 * L];
        int i = 0;
        for (; i + 5 < n; i += 6) {
            int v = 0;
            for (; v + 1 < vectors; v += 2) {
                six(w, i * cols, cols, xt, xb + v * L, out);
                store(out, 6, 2, y, rows, r0 + i, t0 + v * L, tn - v * L);
            }
            if (v < vectors) {
                sixOne(w, i * cols, cols, xt, xb + v * L, out);
                store(out, 6, 1, y, rows, r0 + i, t0 + v * L, tn - v * L);
            }
        }
        for (; i < n; i++) {
            for (int v = 0; v < vectors; v++) {
                one(w, i * cols, cols, xt, xb + v * L, out);
                store(out, 1, 1, y, rows, r0 + i, t0 + v * L, tn - v * L);
            }
        }
    }

    /** Accumulator (row a, vector b) of a kernel is out[(a · vecs + b) · L ..]; writes the valid tokens to y. */
    private static void store(float[] out, int nr, int vecs, float[] y, int rows, int r, int t, int valid) {
        for (int a = 0; a < nr; a++) {
            for (int b = 0; b < vecs; b++) {
                int o = (a * vecs + b) * L;
                int lanes = Math.min(L, valid - b * L);
                for (int k = 0; k < lanes; k++) {
                    y[(t + b * L + k) * rows + r + a] = out[o + k];
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

    /** One row, one token vector (the tail). */
    private static void one(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector a = FloatVector.zero(F);
        for (int c = 0; c < cols; c++) {
            a = FloatVector.broadcast(F, w[wo + c]).fma(FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE), a);
        }
        a.intoArray(out, 0);
    }
}
