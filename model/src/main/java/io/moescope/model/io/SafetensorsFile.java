package io.moescope.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file: an 8-byte little-endian header length N, N bytes of JSON, then raw little-endian data.
 * The header is validated completely on open (dtypes, shapes, offsets in range, no overlaps); the data is read
 * later through memory maps, so files larger than 2 GB work.
 */
public final class SafetensorsFile {

    /** Largest JSON header accepted (the format's own reference limit is 100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, long fileSize, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.fileSize = fileSize;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public Path file() {
        return file;
    }

    public long fileSize() {
        return fileSize;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads and validates the header of a safetensors file. */
    public static SafetensorsFile open(Path file) throws ModelLoadException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw ModelLoadException.at(file, "file not found");
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
        if (size < 8) {
            throw ModelLoadException.at(file, "truncated: " + size + " bytes, not even the 8-byte header length");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw ModelLoadException.at(
                        file,
                        "not a safetensors file: header length " + headerLen + " is outside 1.." + MAX_HEADER_BYTES);
            }
            if (8 + headerLen > size) {
                throw ModelLoadException.at(
                        file, "truncated: header claims " + headerLen + " bytes but the file has " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            return parse(file, size, 8 + headerLen, json);
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static SafetensorsFile parse(Path file, long size, long dataStart, String json) throws ModelLoadException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ModelLoadException.at(file, "malformed safetensors header JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ModelLoadException.at(file, "safetensors header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> ranges = new ArrayList<>();
        long dataSize = size - dataStart;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode node = e.getValue();
            if (name.equals("__metadata__")) {
                if (node.isObject()) {
                    node.fields()
                            .forEachRemaining(
                                    m -> metadata.put(m.getKey(), m.getValue().asText()));
                }
                continue;
            }
            TensorInfo info = parseTensor(file, name, node, dataStart, dataSize);
            tensors.put(name, info);
            if (info.byteLength() > 0) {
                ranges.add(info);
            }
        }
        checkOverlaps(file, dataStart, ranges);
        return new SafetensorsFile(file, size, tensors, metadata);
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataStart, long dataSize)
            throws ModelLoadException {
        String where = "tensor '" + name + "'";
        if (!node.isObject() || !node.has("dtype") || !node.has("shape") || !node.has("data_offsets")) {
            throw ModelLoadException.at(file, where + " needs dtype, shape and data_offsets");
        }
        DType dtype = DType.parse(node.get("dtype").asText());
        if (dtype == null) {
            throw ModelLoadException.at(
                    file, where + " has unknown dtype '" + node.get("dtype").asText() + "'");
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode offs = node.get("data_offsets");
        if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
            throw ModelLoadException.at(file, where + ": shape must be an array and data_offsets a pair");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw ModelLoadException.at(file, where + " has an invalid dimension " + d);
            }
            shape[i] = d.asLong();
        }
        long expected;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            expected = Math.multiplyExact(count, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw ModelLoadException.at(
                    file, where + " has shape " + shapeNode + " whose size overflows: the header " + "is corrupt");
        }
        if (!offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
            throw ModelLoadException.at(file, where + " has non-integer data_offsets");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw ModelLoadException.at(file, where + " has invalid data_offsets [" + begin + ", " + end + "]");
        }
        if (end > dataSize) {
            throw ModelLoadException.at(
                    file,
                    where + " data_offsets [" + begin + ", " + end + "] run past the end of the data (" + dataSize
                            + " bytes): the file is truncated or corrupt");
        }
        if (end - begin != expected) {
            throw ModelLoadException.at(
                    file,
                    where + " holds " + (end - begin) + " bytes but shape " + java.util.Arrays.toString(shape) + " of "
                            + dtype + " needs " + expected);
        }
        return new TensorInfo(name, file, dtype, shape, dataStart + begin, end - begin);
    }

    private static void checkOverlaps(Path file, long dataStart, List<TensorInfo> ranges) throws ModelLoadException {
        ranges.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        for (int i = 1; i < ranges.size(); i++) {
            TensorInfo prev = ranges.get(i - 1);
            TensorInfo cur = ranges.get(i);
            if (cur.offset() < prev.offset() + prev.byteLength()) {
                throw ModelLoadException.at(
                        file,
                        "tensors '" + prev.name() + "' and '" + cur.name()
                                + "' overlap at byte " + (cur.offset() - dataStart)
                                + " of the data section: the header is "
                                + "corrupt");
            }
        }
    }
}
