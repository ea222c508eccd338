package io.moescope.model.trace;

import java.util.Locale;

/** Why a sequence stopped. The JSONL trace spells it in lower case ({@link #wireName()}), as it always has. */
public enum StopReason {
    /** The request asked for no new tokens: the prompt was run and nothing generated. */
    PREFILL_ONLY,
    /** The requested number of new tokens was generated. */
    MAX_TOKENS,
    /** The model produced an end-of-sequence token. */
    EOS,
    /** The caller cancelled between tokens. */
    CANCELLED,
    /** The sequence reached the model's context length. */
    CONTEXT_FULL,
    /** Imported from a serving engine's recording: the sequence ended where the recording did. */
    RECORDED;

    /** The spelling in the trace format: {@code prefill_only}, {@code max_tokens}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason a trace spells {@code s}; an {@link IllegalArgumentException} for anything else. */
    public static StopReason fromWire(String s) {
        for (StopReason r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown stop reason '" + s + "'");
    }

    /** The wire name, so messages and CLI output read as before. */
    @Override
    public String toString() {
        return wireName();
    }
}
