package io.moescope.model.trace;

/** Whether a position came from the prompt (prefill) or was generated (decode). */
public enum Phase {
    PREFILL,
    DECODE;

    /** The lower-case spelling used in the JSONL trace format. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Phase fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
