package io.moescope.model.train;

import java.nio.file.Path;

/**
 * Everything a training run needs.
 *
 * @param corpusDir      directory of {@code *.txt} domain files
 * @param tokenizer      an existing tokenizer.json, or null to train a BPE of {@code vocab} tokens on the corpus
 * @param outDir         final HF-format model directory (written atomically at the end)
 * @param force          replace an existing outDir / stale work directory
 * @param resume         continue from the checkpoint in the work directory ({@code outDir + ".work"})
 * @param model          architecture; null = {@link ModelConfig#small(int)} with the tokenizer's vocab
 * @param maxCharsPerFile 0 = whole files; otherwise only the first characters of each file (smoke tests)
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param maxMinutes     0 = run {@code steps}; otherwise, while still in the constant-lr phase, the step count is
 *                       re-planned every 10 steps (at most {@code steps}) so the run fits this wall-clock budget; the exported config records the steps
 *                       actually used, and re-running with that step count reproduces the run
 */
public record TrainOptions(
        Path corpusDir,
        Path tokenizer,
        int vocab,
        Path outDir,
        boolean force,
        boolean resume,
        ModelConfig model,
        int steps,
        int batch,
        int seq,
        double lr,
        double minLrRatio,
        int warmup,
        double weightDecay,
        double gradClip,
        long seed,
        BalanceConfig balance,
        int logEvery,
        int checkpointEvery,
        int maxCharsPerFile,
        double maxMinutes) {

    public TrainOptions {
        if (steps < 1 || batch < 1 || seq < 2) {
            throw new IllegalArgumentException("steps, batch must be ≥ 1 and seq ≥ 2");
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be ≥ 1");
        }
    }

    /** The shipped recipe: d=256 model, batch 8 × 128, lr 3e-3 (WSD schedule, decay to 10 %), 50 warm-up steps. */
    public static TrainOptions defaults(Path corpusDir, Path outDir, BalanceConfig balance, int steps) {
        return new TrainOptions(
                corpusDir, null, 2048, outDir, false, false, null, steps, 8, 128, 3e-3, 0.1, 50, 0.1, 1.0, 1234,
                balance, 10, 100, 0, 0);
    }

    /** Same options with another model/size/run-length (handy for tests and the CLI). */
    public TrainOptions with(ModelConfig m, int newSteps, int newBatch, int newSeq) {
        return new TrainOptions(
                corpusDir,
                tokenizer,
                vocab,
                outDir,
                force,
                resume,
                m,
                newSteps,
                newBatch,
                newSeq,
                lr,
                minLrRatio,
                warmup,
                weightDecay,
                gradClip,
                seed,
                balance,
                logEvery,
                checkpointEvery,
                maxCharsPerFile,
                maxMinutes);
    }

    /** Same options with another step count and wall-clock budget. */
    public TrainOptions withSteps(int newSteps, double newMaxMinutes) {
        return new TrainOptions(
                corpusDir,
                tokenizer,
                vocab,
                outDir,
                force,
                resume,
                model,
                newSteps,
                batch,
                seq,
                lr,
                minLrRatio,
                warmup,
                weightDecay,
                gradClip,
                seed,
                balance,
                logEvery,
                checkpointEvery,
                maxCharsPerFile,
                newMaxMinutes);
    }

    /** Same options with other flags and data limits. */
    public TrainOptions withRun(
            Path tok,
            int newVocab,
            boolean newForce,
            boolean newResume,
            int newLogEvery,
            int newCheckpointEvery,
            int newMaxChars) {
        return new TrainOptions(
                corpusDir,
                tok,
                newVocab,
                outDir,
                newForce,
                newResume,
                model,
                steps,
                batch,
                seq,
                lr,
                minLrRatio,
                warmup,
                weightDecay,
                gradClip,
                seed,
                balance,
                newLogEvery,
                newCheckpointEvery,
                newMaxChars,
                maxMinutes);
    }

    /** Same options with another schedule. */
    public TrainOptions withSchedule(double newLr, int newWarmup, long newSeed) {
        return new TrainOptions(
                corpusDir,
                tokenizer,
                vocab,
                outDir,
                force,
                resume,
                model,
                steps,
                batch,
                seq,
                newLr,
                minLrRatio,
                newWarmup,
                weightDecay,
                gradClip,
                newSeed,
                balance,
                logEvery,
                checkpointEvery,
                maxCharsPerFile,
                maxMinutes);
    }

    /** Working directory holding checkpoint, tokenizer and log while training runs. */
    public Path workDir() {
        return outDir.resolveSibling(outDir.getFileName() + ".work");
    }

    /** First step of the final decay phase (the last 20 % of the run). */
    public int decayStart() {
        return steps - (int) Math.round(0.2 * steps);
    }

    /**
     * Factor on the aux-free bias step γ at a 1-based step: 1 until the decay phase, then linearly down to 0 at the last
     * step. The sign update b_i += γ·sign(mean − load_i) never settles at a fixed γ: it circles the balanced point, and
     * a bias snapshot taken at an arbitrary step can be anywhere on that circle (on the 1884-step model, 40 more steps
     * at γ = 0.001 moved the held-out max/mean between 1.86 and 2.46). Shrinking γ lets the bias settle; it goes to 0
     * rather than to the learning rate's floor because at 10 % of γ a 600-step run still ended on the circle (held-out
     * max/mean 1.6–2.3 while the training batches averaged 1.1–1.3, 2026-12-02).
     */
    public double gammaFactorAt(int step) {
        int d0 = decayStart();
        if (step <= d0) {
            return 1.0;
        }
        return Math.max(0.0, 1 - (step - d0) / (double) Math.max(1, steps - d0));
    }

    /**
     * Warm-up–stable–decay schedule at 1-based step: linear warm-up, constant lr, then linear decay to minLrRatio·lr over
     * the last 20 % of steps. Before the decay phase the rate does not depend on {@code steps}, so a run shortened there
     * is step-for-step the same as a run started with the shorter length.
     */
    public double lrAt(int step) {
        if (step <= warmup) {
            return lr * step / Math.max(1, warmup);
        }
        int d0 = decayStart();
        if (step <= d0) {
            return lr;
        }
        double prog = Math.min(1.0, (step - d0) / (double) Math.max(1, steps - d0));
        return lr * (1 - (1 - minLrRatio) * prog);
    }
}
