package io.moescope.model.trace;

import java.util.Objects;

/**
 * A token at a position of the sequence: for a prefill position the prompt token, for a decode position
 * the sampled token. Its routing events (if the token was fed through the model) precede it.
 *
 * @param text         the token's own text as decoded in context (may be empty for a partial UTF-8 sequence)
 * @param elapsedNanos when the token was decided, in nanoseconds since the sequence started (a monotonic clock,
 *                     {@link System#nanoTime()}), or {@link #UNTIMED} for traces written before tokens carried
 *                     a time. Prompt tokens all carry the time the prefill finished.
 * @param fromTemplate a prompt token that a chat template wrote (role headers, BOS, the generation prompt), not the
 *                     user; false for the user's text, for plain-text prompts and for generated tokens
 */
public record TokenEmitted(
        long sequenceId, int position, int tokenId, String text, Phase phase, long elapsedNanos, boolean fromTemplate)
        implements TraceEvent {

    /** The time of a token whose trace did not record one. */
    public static final long UNTIMED = -1;

    public TokenEmitted {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(phase, "phase");
        if (fromTemplate && phase != Phase.PREFILL) {
            throw new IllegalArgumentException("only prompt tokens come from a chat template");
        }
        if (elapsedNanos < UNTIMED) {
            throw new IllegalArgumentException("a token's time is ≥ 0 ns (or UNTIMED), got " + elapsedNanos);
        }
    }

    /** A token that did not come from a chat template. */
    public TokenEmitted(long sequenceId, int position, int tokenId, String text, Phase phase, long elapsedNanos) {
        this(sequenceId, position, tokenId, text, phase, elapsedNanos, false);
    }

    /** A token without a time (replays of old traces, tests). */
    public TokenEmitted(long sequenceId, int position, int tokenId, String text, Phase phase) {
        this(sequenceId, position, tokenId, text, phase, UNTIMED);
    }

    public boolean timed() {
        return elapsedNanos != UNTIMED;
    }
}
