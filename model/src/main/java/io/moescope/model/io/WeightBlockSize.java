package io.moescope.model.io;

/**
 * The block of an FP8 weight that shares one scale (config.json {@code quantization_config.weight_block_size},
 * [rows, cols]): W[i, j] = fp8(W[i, j]) · scale_inv[i / rows, j / cols]. DeepSeek-V3 uses 128 × 128.
 */
public record WeightBlockSize(int rows, int cols) {

    /** DeepSeek-V3's block, and the assumption for FP8 checkpoints whose config names none. */
    public static final WeightBlockSize DEFAULT = new WeightBlockSize(128, 128);

    public WeightBlockSize {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("an FP8 weight block must be positive, got " + rows + "×" + cols);
        }
    }

    @Override
    public String toString() {
        return rows + "×" + cols;
    }
}
