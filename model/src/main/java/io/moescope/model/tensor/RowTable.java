package io.moescope.model.tensor;

import java.nio.ByteBuffer;

/** A table read one row at a time (the token embedding): FP32 on the heap, or BF16 rows read from the mapped file. */
public interface RowTable {

    int rows();

    int cols();

    /** Copies row {@code r} as FP32 into dst[off .. off + cols). */
    void copyRow(int r, float[] dst, int off);

    /** Bytes of the table as held (heap FP32, or the mapped file bytes). */
    long bytes();

    /** Bytes of Java heap the table occupies. */
    long heapBytes();

    static RowTable heap(float[] data, int rows, int cols) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "table of " + rows + "x" + cols + " needs " + (long) rows * cols + " values");
        }
        return new RowTable() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public void copyRow(int r, float[] dst, int off) {
                System.arraycopy(data, r * cols, dst, off, cols);
            }

            @Override
            public long bytes() {
                return 4L * data.length;
            }

            @Override
            public long heapBytes() {
                return 4L * data.length;
            }
        };
    }

    /** BF16 rows in a little-endian buffer (row r at byte 2·r·cols), widened on demand. */
    static RowTable bf16(ByteBuffer buf, int rows, int cols) {
        return half(buf, false, rows, cols);
    }

    /** BF16 or (f16) IEEE-half rows in a little-endian buffer, widened on demand. */
    static RowTable half(ByteBuffer buf, boolean f16, int rows, int cols) {
        if ((long) rows * cols * 2 > buf.capacity()) {
            throw new IllegalArgumentException("buffer too small for " + rows + "x" + cols + " BF16 values");
        }
        return new RowTable() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public void copyRow(int r, float[] dst, int off) {
                VectorKernels.widenTo(buf, f16, 2 * r * cols, dst, off, cols);
            }

            @Override
            public long bytes() {
                return 2L * rows * cols;
            }

            @Override
            public long heapBytes() {
                return 0;
            }
        };
    }
}
