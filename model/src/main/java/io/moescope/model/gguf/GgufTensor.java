package io.moescope.model.gguf;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a GGUF file, as its tensor info describes it (validated: known type, whole blocks per row, data
 * inside the file).
 *
 * <p>{@code dims} is ggml's {@code ne} order, fastest-varying first: a 2-D weight with dims {@code [in, out]} is the
 * row-major {@code [out, in]} matrix of Hugging Face's {@code nn.Linear.weight}, nothing transposed. A 3-D expert
 * tensor {@code [in, out, experts]} is {@code experts × out} rows of {@code in} values.
 *
 * @param name       tensor name, e.g. {@code blk.0.ffn_gate_exps.weight}
 * @param type       element type
 * @param dims       ne[0..n_dims), each ≥ 1
 * @param file       the file (split part) holding the data
 * @param fileOffset absolute byte offset of the data in {@code file} (data start + the info's offset)
 * @param byteSize   bytes of data
 */
public record GgufTensor(String name, GgmlType type, long[] dims, Path file, long fileOffset, long byteSize) {

    public GgufTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions (0 to 4). */
    public int dimCount() {
        return dims.length;
    }

    /** ne[i], 1 beyond the stored dimensions. */
    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    /** Row-major shape: dims reversed (e.g. {@code [out, in]} for a 2-D weight). */
    public long[] shape() {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[dims.length - 1 - i];
        }
        return shape;
    }

    /** Elements per row, ne[0]. */
    public long rowLength() {
        return dim(0);
    }

    /** Rows of ne[0] elements: the product of ne[1..]. */
    public long rowCount() {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    public long elementCount() {
        return rowLength() * rowCount();
    }

    /** Bytes of one row. */
    public long rowBytes() {
        return type.rowBytes(rowLength());
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor
                && ((GgufTensor) o).name.equals(name)
                && ((GgufTensor) o).type == type
                && Arrays.equals(((GgufTensor) o).dims, dims)
                && ((GgufTensor) o).file.equals(file)
                && ((GgufTensor) o).fileOffset == fileOffset
                && ((GgufTensor) o).byteSize == byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
