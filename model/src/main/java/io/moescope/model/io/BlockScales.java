package io.moescope.model.io;

/**
 * DeepSeek-V3 FP8 block scales (spec §0.1): next to an F8_E4M3 weight {@code X.weight [out, in]} lies
 * {@code X.weight_scale_inv [ceil(out/128), ceil(in/128)]} (float32), and W[i,j] = fp8(W[i,j]) · scale_inv[i/128, j/128].
 * The last block of a dimension may be partial (e.g. 160 rows = 128 + 32). A 3-D weight [E, out, in] has scales
 * [E, ceil(out/128), ceil(in/128)].
 */
final class BlockScales {

    static final int BLOCK = 128;
    static final String SUFFIX = "_scale_inv";

    private final float[] scales; // [lead, blockRows, blockCols]
    private final long outRows;   // rows per matrix (the second-to-last dimension)
    private final int blockRows;
    private final int blockCols;

    private BlockScales(float[] scales, long outRows, int blockRows, int blockCols) {
        this.scales = scales;
        this.outRows = outRows;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
    }

    /** The scales of an F8_E4M3 weight; a missing or misshapen scale tensor is a load error naming it. */
    static BlockScales of(WeightStore store, TensorInfo weight) throws ModelLoadException {
        String name = weight.name() + SUFFIX;
        if (!store.has(name)) {
            throw ModelLoadException.at(weight.file(), "tensor '" + weight.name() + "' is F8_E4M3 but its block scales '"
                    + name + "' are missing; FP8 checkpoints (DeepSeek-V3) need a float32 " + SUFFIX
                    + " tensor next to every FP8 weight");
        }
        TensorInfo s = store.info(name);
        int rank = weight.rank();
        if (rank < 2) {
            throw ModelLoadException.at(weight.file(), "F8_E4M3 tensor '" + weight.name() + "' must be a matrix, has shape "
                    + weight.shapeString());
        }
        long[] want = weight.shape();
        want[rank - 2] = ceilDiv(want[rank - 2], BLOCK);
        want[rank - 1] = ceilDiv(want[rank - 1], BLOCK);
        if (!java.util.Arrays.equals(s.shape(), want)) {
            throw ModelLoadException.at(s.file(), "block scales '" + name + "' have shape " + s.shapeString()
                    + " but a " + weight.shapeString() + " weight in 128×128 blocks needs " + java.util.Arrays.toString(want));
        }
        return new BlockScales(store.readFloats(s), weight.dim(rank - 2), (int) want[rank - 2], (int) want[rank - 1]);
    }

    /**
     * Multiplies rows [firstRow, firstRow + rows) of the weight viewed as [n, cols] (already decoded from FP8 into
     * dst[off..]) by their block scales.
     */
    void apply(float[] dst, int off, long firstRow, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            long row = firstRow + i;
            long lead = row / outRows;
            int br = (int) ((row % outRows) / BLOCK);
            int base = (int) ((lead * blockRows + br) * blockCols);
            int o = off + i * cols;
            for (int j = 0; j < cols; j++) {
                dst[o + j] *= scales[base + j / BLOCK];
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
