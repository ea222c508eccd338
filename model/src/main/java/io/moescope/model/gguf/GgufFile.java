package io.moescope.model.gguf;

import io.moescope.model.io.FileWindows;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open GGUF model file (v2 or v3, little-endian), or all parts of a split one, validated completely on open.
 * Tensor data stays in the file: {@link #map} and {@link #matrix} read it through memory maps, so files and tensors
 * far larger than 2 GB work without copying anything to the heap.
 *
 * <p>Usage:
 * <pre>{@code
 * try (GgufFile gguf = GgufFile.open(path)) {
 *     String arch = gguf.getString("general.architecture");
 *     int layers = gguf.getInt(arch + ".block_count");
 *     QuantizedMatrix wq = gguf.matrix("blk.0.attn_q.weight");  // [rows = out, cols = in]
 *     float[] row = new float[wq.cols()];
 *     wq.dequantizeRow(0, row);
 * }
 * }</pre>
 *
 * <p>Split files ({@code name-00001-of-00003.gguf}, keys {@code split.count}/{@code split.no}): opening the first
 * part opens the others from the same directory; metadata comes from the first part, tensors from all of them.
 * Immutable after open and safe to read from several threads; {@link #close} releases the file handles (mapped
 * buffers stay valid until they are garbage collected).
 */
public final class GgufFile implements AutoCloseable {

    private final Path file;
    private final int version;
    private final long alignment;
    private final Map<String, Object> metadata;
    private final Map<String, GgufTensor> tensors;
    private final Map<Path, FileChannel> channels;
    /** Large aligned maps of each file that tensors are sliced from ({@link FileWindows}). */
    private final Map<Path, FileWindows> windows = new HashMap<>();

    private final Metadata values;

    private GgufFile(
            Path file, GgufParser.Header first, Map<String, GgufTensor> tensors, Map<Path, FileChannel> channels) {
        this.file = file;
        this.version = first.version();
        this.alignment = first.alignment();
        this.metadata = first.metadata();
        this.tensors = Collections.unmodifiableMap(tensors);
        this.channels = channels;
        this.values = new Metadata(file, metadata);
    }

    /** Opens and validates a GGUF file (the first part, for a split model). */
    public static GgufFile open(Path file) throws ModelLoadException {
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            GgufParser.Header first = parse(file, channels);
            Map<String, GgufTensor> tensors = new LinkedHashMap<>();
            for (GgufTensor t : first.tensors()) {
                tensors.put(t.name(), t);
            }
            for (Path part : SplitParts.others(file, first.metadata())) {
                GgufParser.Header header = parse(part, channels);
                SplitParts.checkPart(part, header.metadata(), first.metadata());
                for (GgufTensor t : header.tensors()) {
                    if (tensors.putIfAbsent(t.name(), t) != null) {
                        throw ModelLoadException.at(
                                part,
                                "tensor '" + t.name() + "' is also in "
                                        + tensors.get(t.name()).file().getFileName());
                    }
                }
            }
            SplitParts.checkTensorCount(file, first.metadata(), tensors.size());
            return new GgufFile(file, first, tensors, channels);
        } catch (ModelLoadException | RuntimeException e) {
            closeAll(channels.values());
            throw e;
        }
    }

    private static GgufParser.Header parse(Path file, Map<Path, FileChannel> channels) throws ModelLoadException {
        if (Files.isDirectory(file)) {
            throw ModelLoadException.at(file, "is a directory, not a GGUF file");
        }
        if (!Files.exists(file)) {
            throw ModelLoadException.at(file, "file not found");
        }
        FileChannel channel;
        long size;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, channel);
            size = channel.size();
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
        return GgufParser.parse(new HeaderReader(file, channel, size), file);
    }

    /** The file as given to {@link #open} (the first part of a split model). */
    public Path file() {
        return file;
    }

    /** All files of this model, the first one first. */
    public List<Path> parts() {
        return List.copyOf(channels.keySet());
    }

    /** GGUF version, 2 or 3. */
    public int version() {
        return version;
    }

    /** Data alignment in bytes ({@code general.alignment}, default 32). */
    public long alignment() {
        return alignment;
    }

    /**
     * All metadata in file order: {@code String}; {@code Long} for every integer type; {@code Double} for float32
     * and float64; {@code Boolean}; unmodifiable {@code List<Object>} for arrays (elements by the same rules,
     * nested lists for nested arrays). Unmodifiable.
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public String getString(String key) throws ModelLoadException {
        return values.string(key);
    }

    public String getString(String key, String fallback) throws ModelLoadException {
        return has(key) ? values.string(key) : fallback;
    }

    /** An integer key of any integer type that fits an int. */
    public int getInt(String key) throws ModelLoadException {
        return values.intValue(key);
    }

    public int getInt(String key, int fallback) throws ModelLoadException {
        return has(key) ? values.intValue(key) : fallback;
    }

    public long getLong(String key) throws ModelLoadException {
        return values.longValue(key);
    }

    public long getLong(String key, long fallback) throws ModelLoadException {
        return has(key) ? values.longValue(key) : fallback;
    }

    /** A float32/float64 key (an integer key is accepted too). */
    public float getFloat(String key) throws ModelLoadException {
        return (float) values.doubleValue(key);
    }

    public float getFloat(String key, float fallback) throws ModelLoadException {
        return has(key) ? (float) values.doubleValue(key) : fallback;
    }

    public double getDouble(String key) throws ModelLoadException {
        return values.doubleValue(key);
    }

    public boolean getBool(String key) throws ModelLoadException {
        return values.bool(key);
    }

    public boolean getBool(String key, boolean fallback) throws ModelLoadException {
        return has(key) ? values.bool(key) : fallback;
    }

    /** An array key as an unmodifiable list (see {@link #metadata()} for element types). */
    public List<Object> getArray(String key) throws ModelLoadException {
        return values.array(key);
    }

    /** An array of strings, e.g. {@code tokenizer.ggml.tokens}. */
    public List<String> getStringArray(String key) throws ModelLoadException {
        return values.stringArray(key);
    }

    /**
     * An integer key that is either one integer (repeated {@code length} times) or an array of exactly
     * {@code length} integers, as llama.cpp allows for per-layer keys like {@code feed_forward_length}.
     */
    public int[] getIntPerLayer(String key, int length) throws ModelLoadException {
        return values.intPerLayer(key, length);
    }

    /** All tensors by name, in file order (parts in order). */
    public Map<String, GgufTensor> tensors() {
        return tensors;
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor with this name, or an error naming it. */
    public GgufTensor tensor(String name) throws ModelLoadException {
        GgufTensor t = tensors.get(name);
        if (t == null) {
            throw ModelLoadException.at(
                    file, "tensor '" + name + "' missing (the file has " + tensors.size() + " tensors)");
        }
        return t;
    }

    /**
     * A read-only little-endian map of bytes [offsetInTensor, offsetInTensor + length) of a tensor's data;
     * length must be below 2 GiB (use {@link #matrix} for whole tensors of any size).
     */
    public ByteBuffer map(GgufTensor tensor, long offsetInTensor, long length) throws ModelLoadException {
        if (offsetInTensor < 0
                || length < 0
                || length > Integer.MAX_VALUE
                || offsetInTensor > tensor.byteSize() - length) {
            throw new IllegalArgumentException("bad range " + offsetInTensor + "+" + length + " of " + tensor);
        }
        FileChannel channel = channels.get(tensor.file());
        if (channel == null) {
            throw new IllegalArgumentException(tensor + " is not a tensor of " + file);
        }
        try {
            FileWindows w;
            synchronized (windows) {
                w = windows.get(tensor.file());
                if (w == null) {
                    w = new FileWindows(channel);
                    windows.put(tensor.file(), w);
                }
            }
            return w.map(tensor.fileOffset() + offsetInTensor, length);
        } catch (IOException e) {
            throw ModelLoadException.at(tensor.file(), "cannot map tensor '" + tensor.name() + "': " + e.getMessage());
        }
    }

    /**
     * The tensor as a matrix of {@code rowCount()} rows of {@code ne[0]} values, decoded in place from the mapped
     * file; an error naming the tensor if its type cannot be decoded.
     */
    public QuantizedMatrix matrix(String name) throws ModelLoadException {
        return MappedMatrix.of(this, tensor(name), MappedMatrix.CHUNK_BYTES);
    }

    @Override
    public void close() {
        synchronized (windows) {
            windows.values().forEach(FileWindows::release);
            windows.clear();
        }
        closeAll(channels.values());
    }

    private static void closeAll(Collection<FileChannel> channels) {
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }

    @Override
    public String toString() {
        return file + " (GGUF v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors)";
    }
}
