package io.moescope.model.io;

/**
 * DeepSeek-V3 FP8 block scales (spec §0.1): with blocks of br × bc weights (config.json
 * {@code quantization_config.weight_block_size}, 128 × 128 for DeepSeek-V3), next to an F8_E4M3 weight
 * {@code X.weight [out, in]} lies {@code X.weight_scale_inv [ceil(out/br), ceil(in/bc)]} (float32), and
 * W[i,j] = fp8(W[i,j]) · scale_inv[i/br, j/bc]. The last block of a dimension may be partial (e.g. 160 rows = 128 + 32).
 * A 3-D weight [E, out, in] has scales [E, ceil(out/br), ceil(in/bc)].
 */
final class BlockScales {

    static final String SUFFIX = "_scale_inv";

    private final float[] scales; // [lead, blockRows, blockCols]
    private final long outRows; // rows per matrix (the second-to-last dimension)
    private final int blockRows; // blocks along out
    private final int blockCols; // blocks along in
    private final int rowsPerBlock;
    private final int colsPerBlock;

    private BlockScales(float[] scales, long outRows, int blockRows, int blockCols, WeightBlockSize block) {
        this.scales = scales;
        this.outRows = outRows;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
        this.rowsPerBlock = block.rows();
        this.colsPerBlock = block.cols();
    }

    /**
     * The scales of an F8_E4M3 weight quantised in {@code block}s; a missing or misshapen scale tensor is a load error
     * naming it.
     */
    static BlockScales of(WeightStore store, TensorInfo weight, WeightBlockSize block) throws ModelLoadException {
        String name = weight.name() + SUFFIX;
        if (!store.has(name)) {
            throw ModelLoadException.at(
                    weight.file(),
                    "tensor '" + weight.name() + "' is F8_E4M3 but its block scales '"
                            + name + "' are missing; FP8 checkpoints (DeepSeek-V3) need a float32 " + SUFFIX
                            + " tensor next to every FP8 weight");
        }
        TensorInfo s = store.info(name);
        int rank = weight.rank();
        if (rank < 2) {
            throw ModelLoadException.at(
                    weight.file(),
                    "F8_E4M3 tensor '" + weight.name() + "' must be a matrix, has shape " + weight.shapeString());
        }
        long[] want = weight.shape();
        want[rank - 2] = ceilDiv(want[rank - 2], block.rows());
        want[rank - 1] = ceilDiv(want[rank - 1], block.cols());
        if (!java.util.Arrays.equals(s.shape(), want)) {
            throw ModelLoadException.at(
                    s.file(),
                    "block scales '" + name + "' have shape " + s.shapeString()
                            + " but a " + weight.shapeString() + " weight in " + block + " blocks (config.json "
                            + "quantization_config.weight_block_size "
                            + (block.equals(WeightBlockSize.DEFAULT) ? "absent, so DeepSeek-V3's " : "") + "["
                            + block.rows() + ", " + block.cols() + "]) needs "
                            + java.util.Arrays.toString(want));
        }
        return new BlockScales(
                store.readFloats(s), weight.dim(rank - 2), (int) want[rank - 2], (int) want[rank - 1], block);
    }

    /**
     * Multiplies rows [firstRow, firstRow + rows) of the weight viewed as [n, cols] (already decoded from FP8 into
     * dst[off..]) by their block scales.
     */
    void apply(float[] dst, int off, long firstRow, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            long row = firstRow + i;
            long lead = row / outRows;
            int br = (int) ((row % outRows) / rowsPerBlock);
            int base = (int) ((lead * blockRows + br) * blockCols);
            int o = off + i * cols;
            for (int j = 0; j < cols; j++) {
                dst[o + j] *= scales[base + j / colsPerBlock];
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
