package io.moescope.model.trace;

import java.util.Objects;

/**
 * The last event of a sequence.
 *
 * @param positions number of positions (prompt + generated) in the sequence
 * @param reason    why it stopped
 */
public record SequenceFinished(long sequenceId, int positions, StopReason reason) implements TraceEvent {

    public SequenceFinished {
        Objects.requireNonNull(reason, "reason");
    }
}
