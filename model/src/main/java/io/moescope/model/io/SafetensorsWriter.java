package io.moescope.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.base.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Streams a safetensors file (the format {@link SafetensorsFile} reads): the 8-byte little-endian header length, the
 * JSON header ({@code __metadata__ {"format": "pt"}} as torch writes it, then the tensors in the given order with
 * dtype, shape and data_offsets), padded with spaces so that the data starts 8-byte aligned, then each tensor's
 * values back to back. Values arrive as FP32 one tensor after another and are stored as F32, F16 or BF16
 * (round-to-nearest-even, {@link FloatDecoder}), so a tensor never has to exist in memory in its stored form.
 */
public final class SafetensorsWriter implements Closeable {

    /** One tensor of the header: F32, F16 or BF16. */
    public record Entry(String name, DType dtype, long[] shape) {

        public Entry {
            if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': the writer stores F32, F16 or BF16, not " + dtype);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        public long bytes() {
            return Math.multiplyExact(elements(), (long) dtype.bytes());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER_BYTES = 8 << 20;

    private final OutputStream out;
    private final List<Entry> tensors;
    private final LongConsumer progress;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int current; // index of the tensor being written
    private long leftInCurrent; // its values still to come
    private long dataBytes; // data bytes handed to the stream so far

    /**
     * Writes the header to {@code out} at once; the values follow through {@link #put}. {@link #close()} closes the
     * stream.
     *
     * @param progress receives the data bytes written so far after each buffer flush (may be null)
     */
    public SafetensorsWriter(OutputStream out, List<Entry> tensors, LongConsumer progress) throws IOException {
        this.out = out;
        this.tensors = List.copyOf(tensors);
        this.progress = progress;
        out.write(header(this.tensors));
        current = -1;
        advance();
    }

    /** A writer on a new file ({@code file} must not exist: write into a temporary, see {@link AtomicFiles}). */
    public static SafetensorsWriter create(Path file, List<Entry> tensors, LongConsumer progress) throws IOException {
        OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new SafetensorsWriter(os, tensors, progress);
        } catch (IOException | RuntimeException e) {
            os.close();
            throw e;
        }
    }

    /** The header bytes: length, JSON, space padding to a multiple of 8. */
    static byte[] header(List<Entry> tensors) throws JsonProcessingException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Entry t : tensors) {
            if (t.name().equals("__metadata__") || !names.add(t.name())) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is reserved or repeated");
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", t.dtype().name());
            e.put("shape", t.shape());
            e.put("data_offsets", new long[] {offset, offset + t.bytes()});
            header.put(t.name(), e);
            offset += t.bytes();
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return b.array();
    }

    /** The next value of the current tensor (row-major). */
    public void put(float v) throws IOException {
        if (leftInCurrent == 0) {
            throw new IllegalStateException("all " + tensors.size() + " tensors are already complete");
        }
        if (buf.remaining() < 4) {
            flush();
        }
        switch (tensors.get(current).dtype()) {
            case F32 -> buf.putFloat(v);
            case F16 -> buf.putShort(FloatDecoder.toF16(v));
            default -> buf.putShort(FloatDecoder.toBf16(v));
        }
        if (--leftInCurrent == 0) {
            advance();
        }
    }

    /** Values {@code values[0..]} continuing the current tensor (and the next ones if longer). */
    public void put(float[] values) throws IOException {
        for (float v : values) {
            put(v);
        }
    }

    /** Data bytes written so far (header excluded). */
    public long dataBytes() {
        return dataBytes + buf.position();
    }

    private void advance() {
        do {
            current++;
        } while (current < tensors.size() && tensors.get(current).elements() == 0);
        leftInCurrent = current < tensors.size() ? tensors.get(current).elements() : 0;
    }

    private void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        dataBytes += buf.position();
        buf.clear();
        if (progress != null) {
            progress.accept(dataBytes);
        }
    }

    /** Writes what is buffered and closes the stream; fails if a tensor is still missing values. */
    @Override
    public void close() throws IOException {
        try (OutputStream o = out) {
            flush();
            o.flush();
            if (current < tensors.size()) {
                Entry t = tensors.get(current);
                throw new IllegalStateException("tensor '" + t.name() + "' " + Arrays.toString(t.shape) + " is missing "
                        + leftInCurrent + " values (and " + (tensors.size() - current - 1) + " tensors after it)");
            }
        }
    }
}
