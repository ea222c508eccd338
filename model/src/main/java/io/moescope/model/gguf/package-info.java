/**
 * Reading llama.cpp GGUF files: the container ({@link io.moescope.model.gguf.GgufFile}: metadata, tensor infos,
 * memory-mapped tensor data, split files), the ggml tensor types ({@link io.moescope.model.gguf.GgmlType}) and
 * block dequantisation ({@link io.moescope.model.gguf.BlockDecoder}, {@link io.moescope.model.gguf.QuantizedMatrix}),
 * bit-exact with ggml's reference C and gguf-py's numpy code.
 *
 * <p>Nothing here knows about model architectures or tokenizers: mapping GGUF keys and tensor names onto a model
 * belongs to the loader that uses this package. Every malformed file is reported as one
 * {@link io.moescope.model.io.ModelLoadException} line, and nothing is allocated before the file size justifies it.
 */
package io.moescope.model.gguf;
