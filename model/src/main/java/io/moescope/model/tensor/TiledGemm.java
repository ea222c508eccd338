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

    /** Tokens from which a product goes through ND4J gemm instead of {@link BlockedGemm} (default: never). */
    static final int MIN_TOKENS = Integer.getInteger("moescope.gemmMinTokens", Integer.MAX_VALUE);

    /** Fills dst[0 .. n·cols) with rows [r0, r0+n) of W as FP32. */
    interface TileSource {
        void fill(int r0, int n, float[] dst);
    }

    private static final int TILE_VALUES = 1 << 20; // 4 MB of FP32 per tile

    /** One thread's reused buffers: native tiles by shape and the FP32 scratch the source fills. */
    private static final class Buffers {
        final Thread owner = Thread.currentThread();
        final Map<Long, INDArray> tiles = new HashMap<>();
        float[] scratch = new float[TILE_VALUES];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /** The last caller's buffers: ThreadLocal lookups missed often in profiles (ND4J keeps many thread locals). */
    private static volatile Buffers last = BUFFERS.get();

    private TiledGemm() {}

    static void apply(TileSource src, int rows, int cols, float[] x, int tokens, float[] y) {
        int tileRows = Math.max(16, Math.min(rows, TILE_VALUES / cols / 16 * 16));
        Buffers buf = last;
        if (buf.owner != Thread.currentThread()) {
            buf = BUFFERS.get();
            last = buf;
        }
        if (buf.scratch.length < tileRows * cols) {
            buf.scratch = new float[tileRows * cols];
        }
        float[] scratch = buf.scratch;
        INDArray in = Nd4j.createUninitialized(DataType.FLOAT, tokens, cols);
        FloatBuffer ib = in.data().asNioFloat();
        ib.clear();
        ib.put(x, 0, tokens * cols); // one bulk copy (Nd4j.create(float[]) stores element by element)
        for (int r0 = 0; r0 < rows; r0 += tileRows) {
            int n = Math.min(tileRows, rows - r0);
            INDArray tile = buf.tiles.computeIfAbsent(
                    ((long) n << 32) | cols, k -> Nd4j.createUninitialized(DataType.FLOAT, n, cols));
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
