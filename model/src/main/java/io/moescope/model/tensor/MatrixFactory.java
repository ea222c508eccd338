package io.moescope.model.tensor;

import io.moescope.model.io.DType;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns stored weights into {@link Matrix} objects; the choice of kernel (FP32 copies on the heap, or weights kept
 * memory-mapped in their file dtype) is made here and nowhere else.
 */
public interface MatrixFactory {

    /** A matrix whose rows are the given blocks, stacked in order (e.g. q|k|v or gate|up). */
    Matrix stack(TensorSource store, List<RowBlock> blocks) throws ModelLoadException;

    /** The token-embedding table (read one row per token). */
    default RowTable table(TensorSource store, TensorInfo t) throws ModelLoadException {
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(t.rank() - 1);
        return RowTable.heap(store.readFloats(t), rows, cols);
    }

    /** True if this factory leaves a tensor of this dtype in the file (for memory estimates). */
    default boolean keepsMapped(TensorInfo t) {
        return false;
    }

    /** FP32 copies of the weights on the Java heap, products by the Vector API kernels. */
    MatrixFactory FP32 = (store, blocks) -> {
        int cols = checkCols(blocks);
        float[] all = readStacked(store, blocks, cols);
        return new HeapMatrix(all, all.length / cols, cols);
    };

    /** FP32 copies in ND4J arrays, products through BLAS (the original path; kept for comparison). */
    MatrixFactory ND4J = (store, blocks) -> {
        int cols = checkCols(blocks);
        float[] all = readStacked(store, blocks, cols);
        return new NdMatrix(all, all.length / cols, cols);
    };

    /** The blocks' rows decoded to FP32 and stacked in order: [Σ rows, cols] row-major. */
    static float[] readStacked(TensorSource store, List<RowBlock> blocks, int cols) throws ModelLoadException {
        int rows = 0;
        for (RowBlock b : blocks) {
            rows += b.rows();
        }
        float[] all = new float[Math.multiplyExact(rows, cols)];
        int off = 0;
        for (RowBlock b : blocks) {
            store.readRows(b.tensor(), b.firstRow(), b.rows(), all, off);
            off += b.rows() * cols;
        }
        return all;
    }

    /**
     * BF16 and F16 weights stay memory-mapped in the file ({@link MappedHalfMatrix}); a 16-bit embedding is read
     * row by row from the file. Other dtypes fall back to {@link #FP32}.
     */
    static MatrixFactory mapped() {
        return new MatrixFactory() {
            @Override
            public Matrix stack(TensorSource store, List<RowBlock> blocks) throws ModelLoadException {
                int cols = checkCols(blocks);
                DType dt = blocks.get(0).tensor().dtype();
                for (RowBlock b : blocks) {
                    if (b.tensor().dtype() != dt || !isHalf(dt)) {
                        return FP32.stack(store, blocks);
                    }
                }
                List<MappedHalfMatrix.Segment> segs = new ArrayList<>();
                int row = 0;
                long maxRows = Math.max(1, (Integer.MAX_VALUE / 2 - 64) / (2L * cols));
                for (RowBlock b : blocks) {
                    for (int r = 0; r < b.rows(); r += (int) maxRows) {
                        int n = (int) Math.min(maxRows, b.rows() - r);
                        ByteBuffer buf = store.map(b.tensor(), (b.firstRow() + r) * cols * 2L, (long) n * cols * 2);
                        segs.add(new MappedHalfMatrix.Segment(buf, row, n));
                        row += n;
                    }
                }
                return new MappedHalfMatrix(segs, cols, dt == DType.F16);
            }

            @Override
            public RowTable table(TensorSource store, TensorInfo t) throws ModelLoadException {
                long bytes = t.byteLength();
                if (!isHalf(t.dtype()) || bytes > Integer.MAX_VALUE - 64) {
                    return MatrixFactory.super.table(store, t);
                }
                return RowTable.half(
                        store.map(t, 0, bytes), t.dtype() == DType.F16, (int) t.dim(0), (int) t.dim(t.rank() - 1));
            }

            @Override
            public boolean keepsMapped(TensorInfo t) {
                return isHalf(t.dtype()) && t.rank() >= 2;
            }
        };
    }

    /** 16-bit float dtypes the mapped kernels read directly (exact widening to FP32). */
    static boolean isHalf(DType t) {
        return t == DType.BF16 || t == DType.F16;
    }

    private static int checkCols(List<RowBlock> blocks) {
        int cols = blocks.get(0).cols();
        for (RowBlock b : blocks) {
            if (b.cols() != cols) {
                throw new IllegalArgumentException("row blocks of different widths: " + b.cols() + " vs " + cols);
            }
        }
        return cols;
    }
}
