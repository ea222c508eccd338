package io.moescope.model.gguf;

import io.moescope.model.io.ModelLoadException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@link QuantizedMatrix} over a tensor's mapped file bytes. The tensor is mapped in chunks of whole rows, each at
 * most {@link #CHUNK_BYTES}, so a tensor of any size works with Java 17's int-indexed buffers.
 */
final class MappedMatrix implements QuantizedMatrix {

    /** Largest mapping per chunk: 1 GiB. */
    static final long CHUNK_BYTES = 1L << 30;

    private final GgufTensor tensor;
    private final BlockDecoder decoder;
    private final ByteBuffer[] chunks; // chunk k holds rows [k * rowsPerChunk, ...)
    private final long rowsPerChunk;
    private final int rowBytes;
    private final int cols;
    private final int blocksPerRow;

    private MappedMatrix(GgufTensor tensor, BlockDecoder decoder, ByteBuffer[] chunks, long rowsPerChunk) {
        this.tensor = tensor;
        this.decoder = decoder;
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.rowBytes = (int) tensor.rowBytes();
        this.cols = (int) tensor.rowLength();
        this.blocksPerRow = cols / tensor.type().blockSize();
    }

    /** Maps a tensor in chunks of at most chunkBytes (at least one row each). */
    static MappedMatrix of(GgufFile file, GgufTensor tensor, long chunkBytes) throws ModelLoadException {
        Objects.requireNonNull(tensor);
        if (!tensor.type().supported()) {
            throw ModelLoadException.at(
                    tensor.file(),
                    "tensor '" + tensor.name() + "' is " + tensor.type()
                            + ", which MoE Scope cannot decode (supported: " + supportedTypes() + ")");
        }
        if (tensor.rowLength() > Integer.MAX_VALUE || tensor.rowBytes() > CHUNK_BYTES) {
            throw ModelLoadException.at(
                    tensor.file(),
                    "tensor '" + tensor.name() + "' has rows of " + tensor.rowLength()
                            + " elements, too long to decode");
        }
        long rowBytes = tensor.rowBytes();
        long rowsPerChunk = Math.max(1, chunkBytes / rowBytes);
        long rows = tensor.rowCount();
        int chunkCount = (int) ((rows + rowsPerChunk - 1) / rowsPerChunk);
        ByteBuffer[] chunks = new ByteBuffer[chunkCount];
        for (int k = 0; k < chunkCount; k++) {
            long first = k * rowsPerChunk;
            long n = Math.min(rowsPerChunk, rows - first);
            chunks[k] = file.map(tensor, first * rowBytes, n * rowBytes);
        }
        return new MappedMatrix(tensor, BlockDecoder.of(tensor.type()), chunks, rowsPerChunk);
    }

    private static String supportedTypes() {
        return Arrays.stream(GgmlType.values())
                .filter(GgmlType::supported)
                .map(Enum::name)
                .collect(Collectors.joining(", "));
    }

    @Override
    public String name() {
        return tensor.name();
    }

    @Override
    public GgmlType type() {
        return tensor.type();
    }

    @Override
    public long rows() {
        return tensor.rowCount();
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public BlockDecoder decoder() {
        return decoder;
    }

    @Override
    public ByteBuffer rowBuffer(long row) {
        Objects.checkIndex(row, rows());
        return chunks[(int) (row / rowsPerChunk)];
    }

    @Override
    public int rowOffset(long row) {
        Objects.checkIndex(row, rows());
        return (int) (row % rowsPerChunk) * rowBytes;
    }

    @Override
    public void dequantizeRow(long row, float[] out, int outOffset) {
        decoder.decode(rowBuffer(row), rowOffset(row), blocksPerRow, out, outOffset);
    }

    @Override
    public float dot(long row, float[] x) {
        if (x.length < cols) {
            throw new IllegalArgumentException("x has " + x.length + " values, the rows of " + name() + " " + cols);
        }
        return decoder.dot(rowBuffer(row), rowOffset(row), blocksPerRow, x, 0);
    }

    @Override
    public String toString() {
        return tensor + " (" + chunks.length + " mapped chunk" + (chunks.length == 1 ? "" : "s") + ")";
    }
}
