package io.moescope.model.gguf;

import java.nio.ByteBuffer;

/**
 * A weight stored as ggml blocks, read in place: {@code rows()} rows of {@code cols()} values, row-major, each row
 * {@code cols / blockSize} whole blocks. For a 2-D GGUF weight this is the Hugging Face {@code [out, in]} matrix; a
 * 3-D expert tensor is {@code experts × out} rows, expert e's rows starting at {@code e * out}.
 *
 * <p>Reads never change shared state, so one matrix can serve several threads. A vectorised kernel for a block
 * type can work beside {@link #dot} by reading {@link #rowBuffer}/{@link #rowOffset} directly.
 */
public interface QuantizedMatrix {

    /** The tensor name, for messages. */
    String name();

    GgmlType type();

    long rows();

    int cols();

    /** Decodes row {@code row} into {@code out[outOffset .. outOffset + cols())}, bit-exact with ggml. */
    void dequantizeRow(long row, float[] out, int outOffset);

    default void dequantizeRow(long row, float[] out) {
        dequantizeRow(row, out, 0);
    }

    /** Σ_c W[row][c] · x[c] (x has at least cols() values); see {@link BlockDecoder#dot} for its precision. */
    float dot(long row, float[] x);

    /** The buffer holding a row's blocks (absolute reads only; shared, do not change its position). */
    ByteBuffer rowBuffer(long row);

    /** Byte offset of the row's first block in {@link #rowBuffer(long)}. */
    int rowOffset(long row);

    /** The decoder of this matrix's block type. */
    BlockDecoder decoder();
}
