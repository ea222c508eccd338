package io.moescope.model.tensor.quant;

import io.moescope.model.gguf.BlockDecoder;
import io.moescope.model.tensor.VectorKernels;
import java.nio.ByteBuffer;

/**
 * Every other supported type (Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, IQ4_XS, F32, F16, BF16): the row is decoded with the
 * bit-exact scalar {@link BlockDecoder}, then multiplied with a Vector API dot product.
 */
final class DecodedRowKernel implements RowKernel {

    private final BlockDecoder decoder;

    DecodedRowKernel(BlockDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
        decoder.decode(b, off, blocks, row, 0);
        return VectorKernels.dot(row, 0, x, xo, blocks * decoder.blockSize());
    }

    @Override
    public void widen(ByteBuffer b, int off, int blocks, float[] dst, int d0) {
        decoder.decode(b, off, blocks, dst, d0);
    }
}
