package io.moescope.model.gguf;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;

/** Little-endian absolute reads that ignore the buffer's own byte order. */
final class Bytes {

    private Bytes() {}

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    static int u16(ByteBuffer b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    static int i32(ByteBuffer b, int i) {
        return u16(b, i) | u16(b, i + 2) << 16;
    }

    /** An IEEE half field, exactly widened. */
    static float f16(ByteBuffer b, int i) {
        return FloatDecoder.f16((short) u16(b, i));
    }
}
