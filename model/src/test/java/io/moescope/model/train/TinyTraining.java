package io.moescope.model.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the trainer tests share: the tiny DeepSeekMoE they train, the four-domain test corpus copied out of the test
 * resources, and a listener that records every step.
 */
final class TinyTraining {

    /** Vocab 300, hidden 32 in 2 heads, 2 layers (the first a dense MLP of width 64), 8 routed experts of width 16, top-2, one shared. */
    static final ModelConfig TINY = new ModelConfig(300, 32, 64, 16, 2, 2, 8, 1, 2, 10000.0, 1e-6, 64, 0, 1);

    /** The corpus files under {@code /train/corpus/}, one per domain. */
    static final String[] DOMAINS = {"en.txt", "zh.txt", "code.txt", "math.txt"};

    private TinyTraining() {}

    /** Copies the four domain files into {@code dir/corpus} unless they are there already; returns that folder. */
    static Path corpus(Path dir) throws IOException {
        Path corpus = dir.resolve("corpus");
        if (!Files.exists(corpus)) {
            Files.createDirectories(corpus);
            for (String d : DOMAINS) {
                copyResource(d, corpus.resolve(d));
            }
        }
        return corpus;
    }

    /** Copies one corpus file to {@code target}. */
    static void copyResource(String domain, Path target) throws IOException {
        try (InputStream in = TinyTraining.class.getResourceAsStream("/train/corpus/" + domain)) {
            Files.copy(in, target);
        }
    }

    /** The defaults with {@link #TINY} for {@code steps} steps of batch 4 × 32 tokens. */
    static TrainOptions options(Path corpus, Path out, BalanceConfig balance, int steps) {
        return TrainOptions.defaults(corpus, out, balance, steps).with(TINY, steps, 4, 32);
    }

    /** Records each step's report; throws at step {@code failAt} instead (a simulated crash). */
    static final class Recorder implements ProgressListener {
        final List<StepReport> reports = new ArrayList<>();
        int failAt = -1;

        @Override
        public void onStep(StepReport r) {
            if (r.step() == failAt) {
                throw new IllegalStateException("simulated crash at step " + r.step());
            }
            reports.add(r);
        }
    }
}
