package io.moescope.model.trace;

/** The next-token logits computed at a position (the distribution for position + 1). */
public record LogitsRecorded(long sequenceId, int position, float[] values) implements TraceEvent {

    public LogitsRecorded {
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** Read-only access without a copy, for hot consumers that promise not to modify it. */
    public float valueAt(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }
}
