package io.moescope.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * All tensors of a model directory: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. Data stays in the files and is memory-mapped on demand.
 */
public final class WeightStore implements TensorSource {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, TensorInfo> tensors;
    private final WeightBlockSize fp8Block;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final Map<Path, FileWindows> windows = new HashMap<>();

    private WeightStore(Path dir, Map<String, TensorInfo> tensors, WeightBlockSize fp8Block) {
        this.dir = dir;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.fp8Block = fp8Block;
    }

    /** Opens the weights of a model directory; FP8 weights, if any, in DeepSeek-V3's 128×128 blocks. */
    public static WeightStore open(Path dir) throws ModelLoadException {
        return open(dir, WeightBlockSize.DEFAULT);
    }

    /**
     * Opens the weights of a model directory, validating every header before anything is read.
     *
     * @param fp8Block the block that shares one scale in F8_E4M3 weights (config.json
     *                 {@code quantization_config.weight_block_size})
     */
    public static WeightStore open(Path dir, WeightBlockSize fp8Block) throws ModelLoadException {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            for (Map.Entry<Path, List<String>> shard : readIndex(dir, index).entrySet()) {
                SafetensorsFile f = SafetensorsFile.open(shard.getKey());
                for (String name : shard.getValue()) {
                    TensorInfo info = f.tensors().get(name);
                    if (info == null) {
                        throw ModelLoadException.at(
                                index,
                                "names tensor '" + name + "' in "
                                        + shard.getKey().getFileName() + " but that shard does not contain it");
                    }
                    all.put(name, info);
                }
            }
        } else if (Files.isRegularFile(single)) {
            all.putAll(SafetensorsFile.open(single).tensors());
        } else {
            List<Path> found = listSafetensors(dir);
            if (found.isEmpty()) {
                throw ModelLoadException.at(dir, "no " + SINGLE_FILE + " or " + INDEX_FILE + " in the model directory");
            }
            for (Path p : found) {
                all.putAll(SafetensorsFile.open(p).tensors());
            }
        }
        return new WeightStore(dir, all, java.util.Objects.requireNonNull(fp8Block));
    }

    private static List<Path> listSafetensors(Path dir) throws ModelLoadException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw ModelLoadException.at(dir, "cannot list the model directory: " + e.getMessage());
        }
    }

    /** shard file → tensor names, validating that every shard lies inside the model directory and exists. */
    private static Map<Path, List<String>> readIndex(Path dir, Path index) throws ModelLoadException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw ModelLoadException.at(index, "malformed JSON: " + firstLine(e.getMessage()));
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.size() == 0) {
            throw ModelLoadException.at(index, "has no \"weight_map\" object naming tensors and shard files");
        }
        Path base = dir.toAbsolutePath().normalize();
        Map<Path, List<String>> shards = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String fileName = e.getValue().asText();
            Path shard = base.resolve(fileName).normalize();
            if (fileName.isEmpty() || !shard.startsWith(base) || shard.equals(base)) {
                throw ModelLoadException.at(
                        index,
                        "tensor '" + e.getKey() + "' points to '" + fileName
                                + "', which is outside the model directory; refusing to read it");
            }
            if (!Files.isRegularFile(shard)) {
                throw ModelLoadException.at(index, "references shard '" + fileName + "' which does not exist");
            }
            shards.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.getKey());
        }
        return shards;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Path location() {
        return dir;
    }

    /** The block that shares one scale in F8_E4M3 weights. */
    public WeightBlockSize fp8Block() {
        return fp8Block;
    }

    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Metadata of a tensor that must exist. */
    @Override
    public TensorInfo info(String name) throws ModelLoadException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw ModelLoadException.at(dir, "missing tensor '" + name + "'" + nearMiss(name));
        }
        return t;
    }

    private String nearMiss(String name) {
        int dot = name.lastIndexOf('.', name.length() - 8);
        String prefix = dot > 0 ? name.substring(0, dot) : name;
        TreeSet<String> similar = new TreeSet<>();
        for (String n : tensors.keySet()) {
            if (n.startsWith(prefix) && similar.size() < 4) {
                similar.add(n);
            }
        }
        return similar.isEmpty() ? "" : " (found instead: " + String.join(", ", similar) + ")";
    }

    /** Total bytes of all tensors as stored. */
    public long totalBytes() {
        long n = 0;
        for (TensorInfo t : tensors.values()) {
            n += t.byteLength();
        }
        return n;
    }

    /** A read-only little-endian map of [offset, offset+length) of the tensor's bytes; length < 2 GiB. */
    @Override
    public synchronized ByteBuffer map(TensorInfo t, long offsetInTensor, long length) throws ModelLoadException {
        if (offsetInTensor < 0
                || length < 0
                || offsetInTensor + length > t.byteLength()
                || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad range " + offsetInTensor + "+" + length + " of " + t.name());
        }
        try {
            FileWindows w = windows.get(t.file());
            if (w == null) {
                FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ);
                channels.put(t.file(), ch);
                w = new FileWindows(ch);
                windows.put(t.file(), w);
            }
            return w.map(t.offset() + offsetInTensor, length);
        } catch (IOException e) {
            throw ModelLoadException.at(t.file(), "cannot map tensor '" + t.name() + "': " + e.getMessage());
        }
    }

    /** Reads a whole float tensor as FP32 (exact conversion from its file dtype; F8_E4M3 times its block scales). */
    @Override
    public float[] readFloats(String name) throws ModelLoadException {
        TensorInfo t = info(name);
        return readFloats(t);
    }

    @Override
    public float[] readFloats(TensorInfo t) throws ModelLoadException {
        if (!t.dtype().isFloat()) {
            throw ModelLoadException.at(
                    t.file(), "tensor '" + t.name() + "' is " + t.dtype() + ", expected a float type");
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw ModelLoadException.at(
                    t.file(), "tensor '" + t.name() + "' has " + n + " elements, too many for one FP32 array");
        }
        float[] out = new float[(int) n];
        int es = t.dtype().bytes();
        long chunkElems = (1L << 30) / es;
        for (long start = 0; start < n; start += chunkElems) {
            int count = (int) Math.min(chunkElems, n - start);
            ByteBuffer buf = map(t, start * es, (long) count * es);
            FloatDecoder.decode(buf, t.dtype(), out, (int) start, count);
        }
        if (t.dtype() == DType.F8_E4M3) {
            BlockScales.of(this, t, fp8Block)
                    .apply(out, 0, 0, (int) (n / t.dim(t.rank() - 1)), (int) t.dim(t.rank() - 1));
        }
        return out;
    }

    /**
     * Decodes rows [firstRow, firstRow+rows) of a tensor viewed as [n, lastDim] into dst[dstOffset..] as FP32;
     * F8_E4M3 rows are multiplied by their {@code _scale_inv} block scales (DeepSeek-V3).
     */
    @Override
    public void readRows(TensorInfo t, long firstRow, int rows, float[] dst, int dstOffset) throws ModelLoadException {
        long cols = t.dim(t.rank() - 1);
        long es = t.dtype().bytes();
        if (!t.dtype().isFloat()) {
            throw ModelLoadException.at(
                    t.file(), "tensor '" + t.name() + "' is " + t.dtype() + ", expected a float type");
        }
        long rowsPerChunk = Math.max(1, (1L << 30) / (cols * es));
        for (long r = 0; r < rows; r += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, rows - r);
            ByteBuffer buf = map(t, (firstRow + r) * cols * es, n * cols * es);
            FloatDecoder.decode(buf, t.dtype(), dst, (int) (dstOffset + r * cols), (int) (n * cols));
        }
        if (t.dtype() == DType.F8_E4M3) {
            BlockScales.of(this, t, fp8Block).apply(dst, dstOffset, firstRow, rows, (int) cols);
        }
    }

    @Override
    public synchronized void close() {
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a read-only channel: nothing to recover
            }
        }
        channels.clear();
        windows.values().forEach(FileWindows::release);
        windows.clear();
    }
}
