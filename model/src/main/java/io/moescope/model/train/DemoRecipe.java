package io.moescope.model.train;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The balancing demo's recipe: a model small enough that three copies train side by side on two cores within a
 * lesson, and settings under which the unbalanced copy visibly collapses while both cures stay balanced
 * (docs/training.md, "Live balancing demo", has the trial runs that chose them). The three copies differ only in
 * their {@link BalanceMode}: same seed, same batches, same initial weights.
 */
public final class DemoRecipe {

    /** Steps per copy: enough for collapse and recovery to show, a few minutes for all three. */
    public static final int STEPS = 240;
    /** Characters read from the start of each corpus file (the shipped demo corpus is this size already). */
    public static final int MAX_CHARS = 40_000;

    public static final long SEED = 1234;
    public static final double LR = 5e-3;
    public static final int WARMUP = 20;
    public static final int BATCH = 8;
    public static final int SEQ = 64;
    /** Expert-level auxiliary loss weight: larger than the shipped recipe's 0.01 so it acts within a few dozen steps. */
    public static final double ALPHA = 0.05;
    /** Aux-free bias step: larger than the shipped 0.001 for the same reason. */
    public static final double GAMMA = 0.01;
    /** Routed experts and how many each token chooses: a collapsed expert takes E / k = 4 × its fair share. */
    public static final int EXPERTS = 8;

    public static final int TOP_K = 2;

    private DemoRecipe() {}

    /** d = 64, 3 layers (dense + 2 MoE), 2 heads, 8 routed experts of width 32 + 1 shared, top-2. */
    public static ModelConfig model(int vocab) {
        return new ModelConfig(vocab, 64, 128, 32, 3, 2, EXPERTS, 1, TOP_K, 10000.0, 1e-6, 512, 0, 1);
    }

    /** The options of one copy: one report per step (logEvery 1), nothing written. */
    public static TrainOptions options(BalanceMode mode, int vocab, int steps) {
        BalanceConfig balance = new BalanceConfig(
                mode, mode == BalanceMode.AUX ? ALPHA : 0, 0, 1, mode == BalanceMode.AUX_FREE ? GAMMA : 0, false);
        return TrainOptions.defaults(null, null, balance, steps)
                .with(model(vocab), steps, BATCH, SEQ)
                .withSchedule(LR, WARMUP, SEED)
                .withRun(null, vocab, false, false, 1, 0, MAX_CHARS);
    }

    /** The corpus (its {@code *.txt} files, {@link #MAX_CHARS} of each) tokenized with {@code tokenizerJson}. */
    public static Corpus corpus(Path corpusDir, Path tokenizerJson) throws IOException {
        return Corpus.load(Corpus.files(corpusDir), tokenizerJson, MAX_CHARS);
    }

    /** The vocabulary size of a tokenizer.json (the model's embedding rows). */
    public static int vocab(Path tokenizerJson) throws IOException {
        return ModelDir.vocabSize(tokenizerJson);
    }

    /**
     * Asks the BLAS library for one thread (process-wide, as {@code OMP_NUM_THREADS=1} does for the CLI runs):
     * on a busy two-core machine spinning BLAS threads make a step many times slower (docs/training.md), and the
     * demo must leave a core to the window. Returns the previous setting, for {@link #restoreBlasThreads(int)}.
     */
    public static int useOneBlasThread() {
        int before = Nd4j.factory().blas().getMaxThreads();
        Nd4j.factory().blas().setMaxThreads(1);
        return before;
    }

    public static void restoreBlasThreads(int threads) {
        if (threads > 0) {
            Nd4j.factory().blas().setMaxThreads(threads);
        }
    }
}
