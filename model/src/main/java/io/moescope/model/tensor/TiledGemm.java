package io.moescope.model.tensor;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prefill-sized products through ND4J/OpenBLAS gemm without an FP32 copy of the whole weight: a tile of rows is
 * copied (FP32) or widened (BF16) into a reused native array and multiplied as {@code gemm(x, tile, out, false,
 * true)}; the tile stays in cache, so the weight is read from memory once per batch. BLAS runs its own threads.
 */
final class TiledGemm {

    /** Tokens from which a product goes through gemm instead of the Vector API kernels. */
    static final int MIN_TOKENS = Integer.getInteger("moescope.gemmMinTokens", 8);

    /** Fills dst[0 .. n·cols) with rows [r0, r0+n) of W as FP32. */
    interface TileSource {
        void fill(int r0, int n, float[] dst);
    }

    private static final int TILE_VALUES = 1 << 20; // 4 MB of FP32 per tile

    private static final ThreadLocal<Map<Long, INDArray>> TILES = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[TILE_VALUES]);

    private TiledGemm() {
    }

    static void apply(TileSource src, int rows, int cols, float[] x, int tokens, float[] y) {
        int tileRows = Math.max(16, Math.min(rows, TILE_VALUES / cols / 16 * 16));
        float[] scratch = SCRATCH.get();
        if (scratch.length < tileRows * cols) {
            scratch = new float[tileRows * cols];
            SCRATCH.set(scratch);
        }
        INDArray in = Nd4j.create(x.length == tokens * cols ? x : java.util.Arrays.copyOf(x, tokens * cols),
                new long[] {tokens, cols}, 'c');
        for (int r0 = 0; r0 < rows; r0 += tileRows) {
            int n = Math.min(tileRows, rows - r0);
            INDArray tile = TILES.get().computeIfAbsent(((long) n << 32) | cols,
                    k -> Nd4j.createUninitialized(DataType.FLOAT, n, cols));
            src.fill(r0, n, scratch);
            FloatBuffer tb = tile.data().asNioFloat();
            tb.clear();
            tb.put(scratch, 0, n * cols);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, tokens, n);
            Nd4j.gemm(in, tile, out, false, true, 1.0, 0.0);
            FloatBuffer ob = out.data().asNioFloat();
            for (int t = 0; t < tokens; t++) {
                ob.position(t * n);
                ob.get(y, t * rows + r0, n);
            }
        }
    }
}
