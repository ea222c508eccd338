package io.moescope.model.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A training run held in memory and stepped by its caller: no work directory, no checkpoint, no export. It runs
 * the same step as {@link Trainer} (same model, sampler, AdamW, schedule and balance controllers), so a live copy
 * trained with the options of a {@code train} run follows it step for step. The balancing demo steps three of
 * these, one per {@link BalanceMode}, over one shared {@link Corpus} (which they only read).
 *
 * <p>Not thread-safe: one thread at a time calls {@link #step()}. The reports it returns are the caller's.
 */
public final class LiveTraining {

    private final TrainOptions options;
    private final Model model;
    private final StepLoop loop;
    private StepReport last;
    private int done;

    /**
     * Builds and initialises the model of {@code options} ({@link TrainOptions#model()}; its vocabulary must cover
     * the corpus tokens) with {@code options.seed()}. The options' output directory, tokenizer and checkpoint
     * settings are not used.
     */
    public LiveTraining(TrainOptions options, Corpus corpus) {
        this.options = Objects.requireNonNull(options);
        ModelConfig cfg = Objects.requireNonNull(options.model(), "live training needs an explicit model size");
        model = new Model(cfg, options.batch(), options.seq(), options.balance());
        model.params().initialise(options.seed(), cfg.layers());
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, options.weightDecay(), options.gradClip());
        loop = new StepLoop(options, model, corpus, adam, null, new ProgressListener() {
            @Override
            public void onStep(StepReport report) {
                last = report;
            }
        });
    }

    /**
     * Runs the next optimisation step and returns the report of the steps since the last report: with
     * {@code logEvery = 1} that is this step alone (its loss, balance loss and the expert loads of its batch).
     * Null on steps that are not logged.
     *
     * @throws IllegalStateException after the last step of the schedule
     */
    public StepReport step() {
        if (done()) {
            throw new IllegalStateException("all " + options.steps() + " steps are done");
        }
        last = null;
        try {
            loop.step(++done);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing is written without a log; kept for the signature
        }
        return last;
    }

    /** Steps run so far. */
    public int stepsDone() {
        return done;
    }

    public boolean done() {
        return done >= options.steps();
    }

    public TrainOptions options() {
        return options;
    }
}
