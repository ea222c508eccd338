package io.moescope.model.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked product for several tokens, for every weight encoding: y = x · Wᵀ where W's rows come a tile of
 * {@link #ROW_TILE} rows at a time as FP32 (read in place for a heap FP32 weight, widened once per product for BF16,
 * F16 and the GGUF block types) and x is packed column-major in tiles of {@link #TOKEN_TILE} = 2L tokens, so the
 * register kernel broadcasts one weight and multiplies it with a vector of tokens: 6 rows × 2 token vectors = 12
 * FMA accumulators, no horizontal sums; a tile of at most L tokens (an expert's share of a short prompt) uses 12
 * rows × 1 vector. Each output is the same sequence of FMA chains (chunks of {@link #CHUNK} columns, summed in
 * order), whichever kernel and thread computes it, so the result does not depend on the split. Rows are split over
 * the {@link KernelPool}; tile sizes were chosen with the JMH benchmarks (docs/benchmarks.md).
 *
 * <p><b>One float species.</b> Every kernel here uses {@link #F}, the species of {@link VectorKernels} and the GGUF
 * kernels. C2 in JDK 17 inlines the Vector API intrinsics after parsing, so while it parses a kernel the vectors
 * have the static type {@code FloatVector}, and the virtual calls inside the library's shared methods
 * ({@code fma → lanewise}, {@code add}, {@code intoArray → vspecies}) are bound by those methods' type profiles,
 * which the whole JVM shares. Once a second float shape has run (this class had a 256-bit kernel for tiles of ≤ L/2
 * tokens) the profiles are bimorphic, every kernel compiled from then on boxes its vectors (an allocation per
 * column, the store intrinsic fails) and runs 2–5× slower: which kernels were fast depended on which token count the
 * JVM met first ({@code -XX:-IncrementalInline} makes all of them fast, which confirms it; docs/benchmarks.md).
 */
public final class BlockedGemm {

    /** Float vectors: the preferred species, at most 16 lanes (the only float species in the engine; see above). */
    static final VectorSpecies<Float> F =
            FloatVector.SPECIES_PREFERRED.length() <= 16 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;

    static final int L = F.length();

    /** Tokens from which FP32/BF16/F16 products take this path instead of the per-row Vector API kernels. */
    public static final int MIN_TOKENS = Integer.getInteger("moescope.blockedMinTokens", 8);

    /** Rows per tile (the tile, ROW_TILE × cols FP32, stays in L2 with the packed x tile); a multiple of 12. */
    public static final int ROW_TILE = Math.max(12, Integer.getInteger("moescope.rowTile", 48) / 12 * 12);
    /**
     * Columns per partial chain: each output sums its FMA chains over chunks of this many columns in order, which
     * keeps the FP32 rounding close to a lane-split dot product's (a single chain over 2048 columns drifts further).
     */
    static final int CHUNK = 16;
    /** Tokens per packed x tile: two full vectors. */
    public static final int TOKEN_TILE = 2 * L;

    /** Writes rows [r0, r0 + n) of the weight as FP32 into dst[0 .. n · cols). */
    @FunctionalInterface
    public interface RowSource {
        void widen(int r0, int n, float[] dst);
    }

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private BlockedGemm() {}

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
    private static void tiles(
            float[] w, int wo, int n, int cols, float[] xt, int tiles, int tokens, float[] y, int rows, int r0) {
        float[] out = new float[12 * L];
        for (int j = 0; j < tiles; j++) {
            int t0 = j * TOKEN_TILE;
            int tn = Math.min(TOKEN_TILE, tokens - t0);
            int xb = j * cols * TOKEN_TILE;
            int i = 0;
            if (tn <= L) {
                for (; i + 11 < n; i += 12) {
                    twelve(w, wo + i * cols, cols, xt, xb, out);
                    store(out, 12, 1, L, y, rows, r0 + i, t0, tn);
                }
                for (; i + 5 < n; i += 6) {
                    sixOne(w, wo + i * cols, cols, xt, xb, out);
                    store(out, 6, 1, L, y, rows, r0 + i, t0, tn);
                }
            } else {
                for (; i + 5 < n; i += 6) {
                    six(w, wo + i * cols, cols, xt, xb, out);
                    store(out, 6, 2, L, y, rows, r0 + i, t0, tn);
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
    private static void store(float[] out, int nr, int vecs, int lanes, float[] y, int rows, int r, int t, int valid) {
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
        FloatVector sa00 = FloatVector.zero(F);
        FloatVector sa01 = FloatVector.zero(F);
        FloatVector sa10 = FloatVector.zero(F);
        FloatVector sa11 = FloatVector.zero(F);
        FloatVector sa20 = FloatVector.zero(F);
        FloatVector sa21 = FloatVector.zero(F);
        FloatVector sa30 = FloatVector.zero(F);
        FloatVector sa31 = FloatVector.zero(F);
        FloatVector sa40 = FloatVector.zero(F);
        FloatVector sa41 = FloatVector.zero(F);
        FloatVector sa50 = FloatVector.zero(F);
        FloatVector sa51 = FloatVector.zero(F);
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a01 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F);
            FloatVector a11 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F);
            FloatVector a21 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F);
            FloatVector a31 = FloatVector.zero(F);
            FloatVector a40 = FloatVector.zero(F);
            FloatVector a41 = FloatVector.zero(F);
            FloatVector a50 = FloatVector.zero(F);
            FloatVector a51 = FloatVector.zero(F);
            for (int c = c0, c1 = Math.min(cols, c0 + CHUNK); c < c1; c++) {
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
            sa00 = sa00.add(a00);
            sa01 = sa01.add(a01);
            sa10 = sa10.add(a10);
            sa11 = sa11.add(a11);
            sa20 = sa20.add(a20);
            sa21 = sa21.add(a21);
            sa30 = sa30.add(a30);
            sa31 = sa31.add(a31);
            sa40 = sa40.add(a40);
            sa41 = sa41.add(a41);
            sa50 = sa50.add(a50);
            sa51 = sa51.add(a51);
        }
        sa00.intoArray(out, 0);
        sa01.intoArray(out, L);
        sa10.intoArray(out, 2 * L);
        sa11.intoArray(out, 3 * L);
        sa20.intoArray(out, 4 * L);
        sa21.intoArray(out, 5 * L);
        sa30.intoArray(out, 6 * L);
        sa31.intoArray(out, 7 * L);
        sa40.intoArray(out, 8 * L);
        sa41.intoArray(out, 9 * L);
        sa50.intoArray(out, 10 * L);
        sa51.intoArray(out, 11 * L);
    }

    /** Six rows, one token vector. */
    private static void sixOne(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector sa0 = FloatVector.zero(F);
        FloatVector sa1 = FloatVector.zero(F);
        FloatVector sa2 = FloatVector.zero(F);
        FloatVector sa3 = FloatVector.zero(F);
        FloatVector sa4 = FloatVector.zero(F);
        FloatVector sa5 = FloatVector.zero(F);
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            FloatVector a4 = FloatVector.zero(F);
            FloatVector a5 = FloatVector.zero(F);
            for (int c = c0, c1 = Math.min(cols, c0 + CHUNK); c < c1; c++) {
                FloatVector x0 = FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE);
                int wc = wo + c;
                a0 = FloatVector.broadcast(F, w[wc]).fma(x0, a0);
                a1 = FloatVector.broadcast(F, w[wc + cols]).fma(x0, a1);
                a2 = FloatVector.broadcast(F, w[wc + 2 * cols]).fma(x0, a2);
                a3 = FloatVector.broadcast(F, w[wc + 3 * cols]).fma(x0, a3);
                a4 = FloatVector.broadcast(F, w[wc + 4 * cols]).fma(x0, a4);
                a5 = FloatVector.broadcast(F, w[wc + 5 * cols]).fma(x0, a5);
            }
            sa0 = sa0.add(a0);
            sa1 = sa1.add(a1);
            sa2 = sa2.add(a2);
            sa3 = sa3.add(a3);
            sa4 = sa4.add(a4);
            sa5 = sa5.add(a5);
        }
        sa0.intoArray(out, 0);
        sa1.intoArray(out, L);
        sa2.intoArray(out, 2 * L);
        sa3.intoArray(out, 3 * L);
        sa4.intoArray(out, 4 * L);
        sa5.intoArray(out, 5 * L);
    }

    /** Twelve rows, one token vector (tiles of at most L tokens). */
    private static void twelve(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector sa0 = FloatVector.zero(F);
        FloatVector sa1 = FloatVector.zero(F);
        FloatVector sa2 = FloatVector.zero(F);
        FloatVector sa3 = FloatVector.zero(F);
        FloatVector sa4 = FloatVector.zero(F);
        FloatVector sa5 = FloatVector.zero(F);
        FloatVector sa6 = FloatVector.zero(F);
        FloatVector sa7 = FloatVector.zero(F);
        FloatVector sa8 = FloatVector.zero(F);
        FloatVector sa9 = FloatVector.zero(F);
        FloatVector sa10 = FloatVector.zero(F);
        FloatVector sa11 = FloatVector.zero(F);
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            FloatVector a4 = FloatVector.zero(F);
            FloatVector a5 = FloatVector.zero(F);
            FloatVector a6 = FloatVector.zero(F);
            FloatVector a7 = FloatVector.zero(F);
            FloatVector a8 = FloatVector.zero(F);
            FloatVector a9 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F);
            FloatVector a11 = FloatVector.zero(F);
            for (int c = c0, c1 = Math.min(cols, c0 + CHUNK); c < c1; c++) {
                FloatVector x0 = FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE);
                int wc = wo + c;
                a0 = FloatVector.broadcast(F, w[wc]).fma(x0, a0);
                a1 = FloatVector.broadcast(F, w[wc + cols]).fma(x0, a1);
                a2 = FloatVector.broadcast(F, w[wc + 2 * cols]).fma(x0, a2);
                a3 = FloatVector.broadcast(F, w[wc + 3 * cols]).fma(x0, a3);
                a4 = FloatVector.broadcast(F, w[wc + 4 * cols]).fma(x0, a4);
                a5 = FloatVector.broadcast(F, w[wc + 5 * cols]).fma(x0, a5);
                a6 = FloatVector.broadcast(F, w[wc + 6 * cols]).fma(x0, a6);
                a7 = FloatVector.broadcast(F, w[wc + 7 * cols]).fma(x0, a7);
                a8 = FloatVector.broadcast(F, w[wc + 8 * cols]).fma(x0, a8);
                a9 = FloatVector.broadcast(F, w[wc + 9 * cols]).fma(x0, a9);
                a10 = FloatVector.broadcast(F, w[wc + 10 * cols]).fma(x0, a10);
                a11 = FloatVector.broadcast(F, w[wc + 11 * cols]).fma(x0, a11);
            }
            sa0 = sa0.add(a0);
            sa1 = sa1.add(a1);
            sa2 = sa2.add(a2);
            sa3 = sa3.add(a3);
            sa4 = sa4.add(a4);
            sa5 = sa5.add(a5);
            sa6 = sa6.add(a6);
            sa7 = sa7.add(a7);
            sa8 = sa8.add(a8);
            sa9 = sa9.add(a9);
            sa10 = sa10.add(a10);
            sa11 = sa11.add(a11);
        }
        sa0.intoArray(out, 0);
        sa1.intoArray(out, L);
        sa2.intoArray(out, 2 * L);
        sa3.intoArray(out, 3 * L);
        sa4.intoArray(out, 4 * L);
        sa5.intoArray(out, 5 * L);
        sa6.intoArray(out, 6 * L);
        sa7.intoArray(out, 7 * L);
        sa8.intoArray(out, 8 * L);
        sa9.intoArray(out, 9 * L);
        sa10.intoArray(out, 10 * L);
        sa11.intoArray(out, 11 * L);
    }

    /** One row, one token vector (the row tail). */
    private static void one(float[] w, int wo, int cols, float[] xt, int xo, float[] out) {
        FloatVector sa = FloatVector.zero(F);
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            FloatVector a = FloatVector.zero(F);
            for (int c = c0, c1 = Math.min(cols, c0 + CHUNK); c < c1; c++) {
                a = FloatVector.broadcast(F, w[wo + c]).fma(FloatVector.fromArray(F, xt, xo + c * TOKEN_TILE), a);
            }
            sa = sa.add(a);
        }
        sa.intoArray(out, 0);
    }
}
