package io.moescope.model.trace;

/**
 * The last event of a sequence.
 *
 * @param positions number of positions (prompt + generated) in the sequence
 * @param reason    why it stopped: "eos", "max_tokens", "cancelled", "prefill_only", "error"
 */
public record SequenceFinished(long sequenceId, int positions, String reason) implements TraceEvent {
}
