package io.moescope.model.recording.pickle;

import java.util.Arrays;

/** An unpickled Python {@code bytes} value (hashable, unlike byte[]). */
public record PyBytes(byte[] data) {

    public PyBytes {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyBytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "bytes[" + data.length + "]";
    }
}
