package io.moescope.model.train;

import java.nio.file.Path;

/** Outcome of {@link Trainer#run}: where the model went and the headline figures of this invocation. */
public record TrainResult(
        Path outDir,
        int steps,
        int stepsThisRun,
        double finalLoss,
        double firstLoss,
        double meanStepMillis,
        double tokensPerSecond,
        double wallSeconds,
        long totalParams,
        long activeParams) {}
