package io.moescope.model.gguf;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sequential little-endian reads of a GGUF header through a small window onto the file, with every read checked
 * against the file size first: a truncated file is reported as "ends inside &lt;what&gt;", never as an exception
 * from the buffer. Not thread-safe; used only while a file is opened.
 */
final class HeaderReader {

    private static final int WINDOW = 1 << 16;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private long pos;

    /** What is being read, for error messages ("the tensor infos (tensor 3 of 10)"). */
    private String where = "the header";

    HeaderReader(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        window.limit(0);
    }

    long position() {
        return pos;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - pos;
    }

    void where(String where) {
        this.where = where;
    }

    ModelLoadException error(String problem) {
        return ModelLoadException.at(file, problem);
    }

    /** Makes bytes [pos, pos + n) available in the window, n ≤ WINDOW. */
    private void need(int n) throws ModelLoadException {
        if (n > remaining()) {
            throw error("file ends inside " + where + " (needs " + n + " more bytes at byte " + pos + ", file has "
                    + size + ")");
        }
        long inWindow = pos - windowStart;
        if (inWindow >= 0 && inWindow + n <= window.limit()) {
            return;
        }
        window.clear();
        window.limit((int) Math.min(WINDOW, size - pos));
        windowStart = pos;
        try {
            while (window.hasRemaining()) {
                if (channel.read(window, windowStart + window.position()) < 0) {
                    throw error("file shrank while being read, at byte " + (windowStart + window.position()));
                }
            }
        } catch (IOException e) {
            throw error("cannot read: " + e.getMessage());
        }
        window.flip();
    }

    private int at() {
        return (int) (pos - windowStart);
    }

    int u8() throws ModelLoadException {
        need(1);
        int v = window.get(at()) & 0xFF;
        pos += 1;
        return v;
    }

    int u16() throws ModelLoadException {
        need(2);
        int v = window.getShort(at()) & 0xFFFF;
        pos += 2;
        return v;
    }

    /** A 32-bit field as stored (callers widen unsigned values with Integer.toUnsignedLong). */
    int i32() throws ModelLoadException {
        need(4);
        int v = window.getInt(at());
        pos += 4;
        return v;
    }

    /** A 64-bit field as stored; a u64 of 2^63 or more reads as negative. */
    long i64() throws ModelLoadException {
        need(8);
        long v = window.getLong(at());
        pos += 8;
        return v;
    }

    /** A u64 count or length, rejected (naming {@code what}) if it is 2^63 or more. */
    long count(String what) throws ModelLoadException {
        long v = i64();
        if (v < 0) {
            throw error(what + " " + Long.toUnsignedString(v) + " is not a sane count (≥ 2^63)");
        }
        return v;
    }

    /** Raw bytes; the caller has checked n against remaining() and its own cap. */
    byte[] bytes(int n) throws ModelLoadException {
        if (n > remaining()) {
            need(n); // reports truncation
        }
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            int chunk = Math.min(WINDOW, n - done);
            need(chunk);
            window.get(at(), out, done, chunk);
            pos += chunk;
            done += chunk;
        }
        return out;
    }

    /**
     * A GGUF string (u64 length + UTF-8, no terminator) of at most {@code cap} bytes, decoded leniently (malformed
     * UTF-8 becomes U+FFFD).
     */
    String string(String what, long cap) throws ModelLoadException {
        long start = pos;
        long length = count("length of " + what);
        if (length > remaining()) {
            throw error(what + " at byte " + start + " claims " + length + " bytes, but only " + remaining()
                    + " are left in the file");
        }
        if (length > cap) {
            throw error(
                    what + " at byte " + start + " is " + length + " bytes long, more than the " + cap + " allowed");
        }
        return new String(bytes((int) length), StandardCharsets.UTF_8);
    }
}
