package io.moescope.model.gguf;

import io.moescope.model.io.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the header of one GGUF file (gguf.md §1): magic, version, counts, metadata, tensor infos,
 * alignment and data offsets. Every count and length is checked against what is left of the file before anything
 * is allocated for it.
 */
final class GgufParser {

    /** The header of one file: metadata in file order, tensors in info order. */
    record Header(
            int version, Map<String, Object> metadata, List<GgufTensor> tensors, long alignment, long dataStart) {}

    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    static final long MAX_COUNT = 1 << 20;
    static final long MAX_STRING_BYTES = 64L << 20;
    static final long MAX_ARRAY_ELEMENTS = 1 << 24;
    static final int MAX_NAME_BYTES = 63; // GGML_MAX_NAME − 1
    static final int MAX_ARRAY_DEPTH = 4;
    static final int DEFAULT_ALIGNMENT = 32;

    private static final int TYPE_ARRAY = 9;
    private static final String[] TYPE_NAMES = {
        "uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool", "string", "array", "uint64", "int64",
        "float64"
    };
    /** Fewest bytes one value of each type takes (a string is at least its length, an array its type and count). */
    private static final int[] MIN_BYTES = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8};

    private final HeaderReader in;
    private final Path file;

    private GgufParser(HeaderReader in, Path file) {
        this.in = in;
        this.file = file;
    }

    static Header parse(HeaderReader in, Path file) throws ModelLoadException {
        return new GgufParser(in, file).header();
    }

    private Header header() throws ModelLoadException {
        if (in.size() == 0) {
            throw in.error("empty file, not a GGUF model");
        }
        in.where("the 24-byte header");
        int magic = in.i32();
        if (magic != MAGIC) {
            throw in.error(String.format(
                    "not a GGUF file: starts with bytes %02X %02X %02X %02X, expected 'GGUF'",
                    magic & 0xFF, (magic >> 8) & 0xFF, (magic >> 16) & 0xFF, (magic >>> 24)));
        }
        int version = in.i32();
        if (version != 2 && version != 3) {
            if (version == 1) {
                throw in.error("GGUF version 1 is obsolete and not supported (only versions 2 and 3)");
            }
            if ((version & 0xFFFF) == 0) {
                throw in.error(String.format(
                        "big-endian GGUF (version field reads 0x%08X); only little-endian files" + " are supported",
                        version));
            }
            throw in.error(
                    "unsupported GGUF version " + Integer.toUnsignedString(version) + " (only versions 2 and 3)");
        }
        long tensorCount = in.count("tensor_count");
        long kvCount = in.count("kv_count");
        if (tensorCount > MAX_COUNT || kvCount > MAX_COUNT) {
            throw in.error("header claims " + tensorCount + " tensors and " + kvCount + " metadata entries; at most "
                    + MAX_COUNT + " of each are accepted");
        }
        long minimum = kvCount * 13 + tensorCount * 32;
        if (minimum > in.remaining()) {
            throw in.error("header claims " + tensorCount + " tensors and " + kvCount + " metadata entries, which"
                    + " need at least " + minimum + " bytes, but only " + in.remaining() + " follow the header");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            in.where("the metadata (entry " + (i + 1) + " of " + kvCount + ")");
            String key = in.string("metadata key " + (i + 1), MAX_STRING_BYTES);
            in.where("metadata key '" + key + "'");
            int type = in.i32();
            Object value = value(key, type, 0);
            if (metadata.putIfAbsent(key, value) != null) {
                throw in.error("metadata key '" + key + "' appears twice");
            }
        }
        long alignment = alignment(metadata.get("general.alignment"));
        List<GgufTensor> infos = new ArrayList<>();
        long[] relative = new long[(int) tensorCount];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensorCount; i++) {
            in.where("the tensor infos (tensor " + (i + 1) + " of " + tensorCount + ")");
            GgufTensor t = tensorInfo(alignment, relative, i);
            if (!names.add(t.name())) {
                throw in.error("tensor '" + t.name() + "' appears twice");
            }
            infos.add(t);
        }
        long dataStart = align(in.position(), alignment);
        List<GgufTensor> tensors = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            GgufTensor t = infos.get(i);
            long start = dataStart + relative[i]; // both below 2^63; a wrapped sum is caught below
            long end;
            try {
                end = Math.addExact(Math.addExact(dataStart, relative[i]), t.byteSize());
            } catch (ArithmeticException e) {
                end = -1;
            }
            if (end < 0 || end > in.size()) {
                throw in.error("tensor '" + t.name() + "' ends at byte " + (end < 0 ? "2^63 or beyond" : end)
                        + " past the end of the file (" + in.size() + " bytes)");
            }
            tensors.add(new GgufTensor(t.name(), t.type(), t.dims(), file, start, t.byteSize()));
        }
        checkOverlaps(tensors);
        return new Header(version, Collections.unmodifiableMap(metadata), List.copyOf(tensors), alignment, dataStart);
    }

    private Object value(String key, int type, int depth) throws ModelLoadException {
        switch (type) {
            case 0:
                return (long) in.u8();
            case 1:
                return (long) (byte) in.u8();
            case 2:
                return (long) in.u16();
            case 3:
                return (long) (short) in.u16();
            case 4:
                return Integer.toUnsignedLong(in.i32());
            case 5:
                return (long) in.i32();
            case 6:
                return (double) Float.intBitsToFloat(in.i32());
            case 7:
                return in.u8() != 0;
            case 8:
                return in.string("string value of metadata key '" + key + "'", MAX_STRING_BYTES);
            case TYPE_ARRAY:
                return array(key, depth);
            case 10: {
                long v = in.i64();
                if (v < 0) {
                    throw in.error("metadata key '" + key + "' holds uint64 " + Long.toUnsignedString(v)
                            + ", above the largest supported value 2^63 − 1");
                }
                return v;
            }
            case 11:
                return in.i64();
            case 12:
                return Double.longBitsToDouble(in.i64());
            default:
                throw in.error("metadata key '" + key + "' has unknown value type " + Integer.toUnsignedString(type));
        }
    }

    private List<Object> array(String key, int depth) throws ModelLoadException {
        if (depth >= MAX_ARRAY_DEPTH) {
            throw in.error("metadata key '" + key + "' nests arrays more than " + MAX_ARRAY_DEPTH + " deep");
        }
        int elementType = in.i32();
        if (elementType < 0 || elementType >= MIN_BYTES.length) {
            throw in.error("metadata key '" + key + "' is an array of unknown value type "
                    + Integer.toUnsignedString(elementType));
        }
        long count = in.count("element count of metadata key '" + key + "'");
        long need = count > in.remaining() ? Long.MAX_VALUE : count * MIN_BYTES[elementType];
        if (need > in.remaining()) {
            throw in.error("metadata key '" + key + "' is an array of " + count + " " + TYPE_NAMES[elementType]
                    + " values, more than the " + in.remaining() + " bytes left in the file can hold");
        }
        if (count > MAX_ARRAY_ELEMENTS) {
            throw in.error("metadata key '" + key + "' is an array of " + count + " values; at most "
                    + MAX_ARRAY_ELEMENTS + " are accepted");
        }
        List<Object> values = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            values.add(value(key, elementType, depth + 1));
        }
        return Collections.unmodifiableList(values);
    }

    private long alignment(Object value) throws ModelLoadException {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(value instanceof Long)
                || (Long) value <= 0
                || Long.bitCount((Long) value) != 1
                || (Long) value > 1 << 30) {
            throw in.error("general.alignment must be a power of two integer up to 2^30, not " + value);
        }
        return (Long) value;
    }

    /** Reads one tensor info; its offset (relative to the data start) goes to relative[i]. */
    private GgufTensor tensorInfo(long alignment, long[] relative, int i) throws ModelLoadException {
        String name = in.string("tensor name " + (i + 1), MAX_STRING_BYTES);
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw in.error("tensor " + (i + 1) + " has a name of " + name.length() + " characters; names must be 1 to "
                    + MAX_NAME_BYTES + " bytes");
        }
        in.where("the tensor info of '" + name + "'");
        long nDims = Integer.toUnsignedLong(in.i32());
        if (nDims > 4) {
            throw in.error("tensor '" + name + "' has " + nDims + " dimensions; at most 4 are allowed");
        }
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.i64();
            if (dims[d] <= 0) {
                throw in.error("tensor '" + name + "' has dimension ne[" + d + "] = " + Long.toUnsignedString(dims[d])
                        + "; dimensions must be 1 to 2^63 − 1");
            }
        }
        int typeId = in.i32();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw in.error("tensor '" + name + "' has unknown ggml type id " + Integer.toUnsignedString(typeId));
        }
        long offset = in.i64();
        long byteSize;
        try {
            long rows = 1;
            for (int d = 1; d < dims.length; d++) {
                rows = Math.multiplyExact(rows, dims[d]);
            }
            Math.multiplyExact(rows, dims.length > 0 ? dims[0] : 1);
            long rowLength = dims.length > 0 ? dims[0] : 1;
            if (rowLength % type.blockSize() != 0) {
                throw in.error("tensor '" + name + "' is " + type + " with rows of " + rowLength
                        + " elements, not a multiple of its block size " + type.blockSize());
            }
            byteSize = Math.multiplyExact(type.rowBytes(rowLength), rows);
        } catch (ArithmeticException e) {
            throw in.error("tensor '" + name + "' has dimensions " + Arrays.toString(dims)
                    + " whose element count overflows 64 bits");
        }
        if (offset < 0 || offset % alignment != 0) {
            throw in.error("tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                    + ", not a multiple of the alignment " + alignment);
        }
        relative[i] = offset;
        return new GgufTensor(name, type, dims, file, offset, byteSize);
    }

    private void checkOverlaps(List<GgufTensor> tensors) throws ModelLoadException {
        List<GgufTensor> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensor::fileOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensor prev = byOffset.get(i - 1);
            GgufTensor next = byOffset.get(i);
            if (next.fileOffset() < prev.fileOffset() + prev.byteSize()) {
                throw in.error("tensors '" + prev.name() + "' and '" + next.name() + "' overlap (bytes "
                        + prev.fileOffset() + "+" + prev.byteSize() + " and " + next.fileOffset() + ")");
            }
        }
    }

    static long align(long position, long alignment) {
        return Math.addExact(position, alignment - 1) / alignment * alignment;
    }
}
