package io.moescope.model.trace;

/** The first event of every sequence: what the following routing events refer to. */
public record SequenceStarted(long sequenceId, ModelShape shape) implements TraceEvent {}
