package io.moescope.model.layer;

import java.util.Arrays;

/**
 * One layer's per-sequence state. For an attention layer: keys and values of every position seen so far,
 * [positions, width] each, growing. For a Gated DeltaNet layer ({@link #recurrent}): the conv state (the last
 * kernel − 1 conv inputs) and the recurrent state, fixed-size, updated in place; a new session starts from zeros.
 * LFM2's short convolution keeps only the conv state (a recurrent state of size 0).
 */
public final class KvCache {

    private final int keyWidth;
    private final int valueWidth;
    private float[] keys = new float[0];
    private float[] values = new float[0];
    private final float[] conv; // [kernel − 1, channels] oldest first; null for attention
    private final float[] state; // [valueHeads, keyHeadDim, valueHeadDim]; null for attention
    private int length;

    public KvCache(int keyWidth, int valueWidth) {
        this(keyWidth, valueWidth, null, null);
    }

    private KvCache(int keyWidth, int valueWidth, float[] conv, float[] state) {
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.conv = conv;
        this.state = state;
    }

    /** The zeroed state of a linear-attention layer: conv rows × channels and a recurrent state of stateSize floats. */
    public static KvCache recurrent(int convRows, int convChannels, int stateSize) {
        return new KvCache(0, 0, new float[convRows * convChannels], new float[stateSize]);
    }

    public boolean isRecurrent() {
        return state != null;
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

    /** A recurrent layer has consumed {@code positions} more positions (its states were updated in place). */
    public void advance(int positions) {
        if (!isRecurrent()) {
            throw new IllegalStateException("an attention cache grows by append, not advance");
        }
        length += positions;
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

    /** Recurrent layers: the conv state [kernel − 1, channels], updated in place; null for attention. */
    public float[] convState() {
        return conv;
    }

    /** Recurrent layers: the delta-rule state [valueHeads, keyHeadDim, valueHeadDim], updated in place. */
    public float[] recurrentState() {
        return state;
    }

    /**
     * Forgets positions from {@code newLength} on (used to re-run from a shared prefix). A recurrent state holds no
     * per-position history, so it can only restart from 0 (or stay where it is).
     */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " positions to " + newLength);
        }
        if (isRecurrent() && newLength != length) {
            if (newLength != 0) {
                throw new IllegalArgumentException("a recurrent (linear-attention, short-conv) state cannot rewind "
                        + "from " + length + " to " + newLength + " positions, only restart from 0");
            }
            Arrays.fill(conv, 0f);
            Arrays.fill(state, 0f);
        }
        length = newLength;
    }

    /** Bytes held. */
    public long bytes() {
        long n = 4L * (keys.length + values.length);
        return isRecurrent() ? n + 4L * (conv.length + state.length) : n;
    }
}
