package io.moescope.model.ggufmodel;

import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.io.DType;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import io.moescope.model.tensor.RowTable;
import io.moescope.model.tensor.quant.QuantMatrices;
import java.util.ArrayList;
import java.util.List;

/**
 * Matrices over a {@link GgufSource}: block-quantised rows are read in place through {@link QuantMatrices#of}; F16/BF16
 * rows go through the mapped half kernels and F32 rows are copied as FP32, as for safetensors. Nothing is
 * dequantised into the heap.
 */
public final class GgufMatrixFactory implements MatrixFactory {

    private static final MatrixFactory HALF = MatrixFactory.mapped();

    private final GgufSource source;

    public GgufMatrixFactory(GgufSource source) {
        this.source = source;
    }

    @Override
    public Matrix stack(TensorSource store, List<RowBlock> blocks) throws ModelLoadException {
        if (all(blocks, DType.F32)) {
            return MatrixFactory.FP32.stack(source, blocks); // readRows puts permuted rows back
        }
        List<Matrix> parts = new ArrayList<>();
        for (RowBlock b : blocks) {
            parts.add(part(b));
        }
        return parts.size() == 1 ? parts.get(0) : new StackedRows(parts);
    }

    private Matrix part(RowBlock b) throws ModelLoadException {
        TensorInfo t = b.tensor();
        GgufSource.Slice s = source.slice(t);
        if (t.dtype() == DType.F32 || source.stored(t) != null) { // changed values are undone by readRows
            return MatrixFactory.FP32.stack(source, List.of(b));
        }
        if (s.order() == null && MatrixFactory.isHalf(t.dtype())) {
            return HALF.stack(source, List.of(b));
        }
        QuantizedMatrix q = source.matrix(s.tensor());
        if (s.order() == null) {
            return QuantMatrices.of(q, s.firstRow() + b.firstRow(), b.rows());
        }
        if (b.firstRow() != 0 || b.rows() != s.order().length) {
            throw new IllegalArgumentException("a permuted tensor is read whole: " + t.name());
        }
        return new PermutedRows(QuantMatrices.of(q, s.firstRow(), b.rows()), s.order());
    }

    private static boolean all(List<RowBlock> blocks, DType dtype) {
        for (RowBlock b : blocks) {
            if (b.tensor().dtype() != dtype) {
                return false;
            }
        }
        return true;
    }

    @Override
    public RowTable table(TensorSource store, TensorInfo t) throws ModelLoadException {
        GgufSource.Slice s = source.slice(t);
        if (t.dtype() != DType.GGML_BLOCKS && s.order() == null) {
            return HALF.table(source, t);
        }
        QuantizedMatrix q = source.matrix(s.tensor());
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(t.rank() - 1);
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
                q.dequantizeRow(s.firstRow() + r, dst, off);
            }

            @Override
            public long bytes() {
                return t.byteLength();
            }

            @Override
            public long heapBytes() {
                return 0;
            }
        };
    }

    /** F32 tensors are copied to the heap; everything else stays in the file. */
    @Override
    public boolean keepsMapped(TensorInfo t) {
        return t.dtype() != DType.F32;
    }
}
