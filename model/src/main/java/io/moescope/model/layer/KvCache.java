package io.moescope.model.layer;

import java.util.Arrays;

/** Keys and values of one attention layer for every position seen so far: [positions, width] each, growing. */
public final class KvCache {

    private final int keyWidth;
    private final int valueWidth;
    private float[] keys = new float[0];
    private float[] values = new float[0];
    private int length;

    public KvCache(int keyWidth, int valueWidth) {
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
    }

    public int length() {
        return length;
    }

    public int keyWidth() {
        return keyWidth;
    }

    public int valueWidth() {
        return valueWidth;
    }

    /** Appends one position's key and value rows (copied from the given offsets). */
    public void append(float[] k, int kOff, float[] v, int vOff) {
        ensure(length + 1);
        System.arraycopy(k, kOff, keys, length * keyWidth, keyWidth);
        System.arraycopy(v, vOff, values, length * valueWidth, valueWidth);
        length++;
    }

    private void ensure(int positions) {
        if (positions * keyWidth > keys.length) {
            int cap = Math.max(16, Math.max(positions, 2 * keys.length / Math.max(1, keyWidth)));
            keys = Arrays.copyOf(keys, cap * keyWidth);
            values = Arrays.copyOf(values, cap * valueWidth);
        }
    }

    /** Backing arrays (valid up to length()); callers must not keep them across appends. */
    public float[] keys() {
        return keys;
    }

    public float[] values() {
        return values;
    }

    /** Forgets positions from {@code newLength} on (used to re-run from a shared prefix). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " positions to " + newLength);
        }
        length = newLength;
    }

    /** Bytes held. */
    public long bytes() {
        return 4L * (keys.length + values.length);
    }
}
