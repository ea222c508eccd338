package io.moescope.model.trace;

/**
 * Something the engine observed while running one sequence. Immutable and safe to hand across threads:
 * this closed family is the one contract between the engine and every consumer (CLI, app, diagnosis).
 */
public sealed interface TraceEvent
        permits SequenceStarted,
                RoutingDecision,
                DenseLayerOutput,
                ExpertCounts,
                TokenEmitted,
                LogitsRecorded,
                SequenceFinished {

    /** Identifies the sequence (one prompt + its continuation) the event belongs to. */
    long sequenceId();
}
