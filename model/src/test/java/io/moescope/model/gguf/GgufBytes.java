package io.moescope.model.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-only GGUF writer for hand-made (often malformed) files: raw little-endian fields in the order the caller
 * appends them, so every field can be wrong on purpose. {@link #minimal()} is a valid file to start from.
 */
final class GgufBytes {

    static final int MAGIC = 0x46554747;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** magic, version, tensor_count, kv_count. */
    static GgufBytes header(int version, long tensorCount, long kvCount) {
        return new GgufBytes().u32(MAGIC).u32(version).u64(tensorCount).u64(kvCount);
    }

    /** A valid v3 file: one key (general.architecture = "t"), one F32 tensor "w" with ne [4, 2], values 0..7. */
    static GgufBytes minimal() {
        GgufBytes b = header(3, 1, 1)
                .kvString("general.architecture", "t")
                .tensorInfo("w", 0, 0, 4, 2)
                .pad(32);
        for (int i = 0; i < 8; i++) {
            b.f32(i);
        }
        return b;
    }

    GgufBytes u8(int v) {
        out.write(v);
        return this;
    }

    GgufBytes u16(int v) {
        return u8(v & 0xFF).u8((v >> 8) & 0xFF);
    }

    GgufBytes u32(int v) {
        return raw(
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    GgufBytes u64(long v) {
        return raw(
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    GgufBytes f32(float v) {
        return u32(Float.floatToRawIntBits(v));
    }

    GgufBytes raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** u64 length + UTF-8 bytes. */
    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).raw(b);
    }

    /** A string-valued KV record. */
    GgufBytes kvString(String key, String value) {
        return str(key).u32(8).str(value);
    }

    /** A u32-valued KV record. */
    GgufBytes kvU32(String key, int value) {
        return str(key).u32(4).u32(value);
    }

    /** name, n_dims, ne[...], type, offset. */
    GgufBytes tensorInfo(String name, int type, long offset, long... dims) {
        str(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(type).u64(offset);
    }

    /** Zero bytes up to the next multiple of alignment. */
    GgufBytes pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    GgufBytes zeros(int n) {
        return raw(new byte[n]);
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path dir, String name) {
        try {
            return Files.write(dir.resolve(name), bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
