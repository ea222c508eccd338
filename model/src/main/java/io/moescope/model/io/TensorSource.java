package io.moescope.model.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the loader reads a model's tensors by their Hugging Face names: a safetensors directory
 * ({@link WeightStore}) or a GGUF file presenting its tensors under the same names and shapes. Data stays in the
 * files; {@link #map} gives the raw bytes, {@link #readRows} decoded FP32 rows.
 */
public interface TensorSource extends AutoCloseable {

    /** The model directory or file, for messages. */
    Path location();

    /** All tensors by Hugging Face name. */
    Map<String, TensorInfo> tensors();

    default boolean has(String name) {
        return tensors().containsKey(name);
    }

    /** Metadata of a tensor that must exist (else an error naming it). */
    TensorInfo info(String name) throws ModelLoadException;

    /** A read-only little-endian map of [offset, offset+length) of the tensor's bytes; length < 2 GiB. */
    ByteBuffer map(TensorInfo t, long offsetInTensor, long length) throws ModelLoadException;

    /** A whole tensor as FP32 (for vectors: norms, biases; exact conversion from the stored type). */
    float[] readFloats(TensorInfo t) throws ModelLoadException;

    default float[] readFloats(String name) throws ModelLoadException {
        return readFloats(info(name));
    }

    /** Decodes rows [firstRow, firstRow+rows) of a tensor viewed as [n, lastDim] into dst[dstOffset..] as FP32. */
    void readRows(TensorInfo t, long firstRow, int rows, float[] dst, int dstOffset) throws ModelLoadException;

    @Override
    void close();
}
