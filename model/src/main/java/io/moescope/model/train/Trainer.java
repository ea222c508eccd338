package io.moescope.model.train;

import io.moescope.model.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Trains a DeepSeekMoE model on the four-domain corpus and exports it as a Hugging Face directory. */
public final class Trainer {
    private Trainer() {
    }

    /** Runs (or resumes) training as described by opts; the model directory appears atomically at the end. */
    public static TrainResult run(TrainOptions opts, ProgressListener listener) throws IOException {
        TrainOptions o = opts;
        Path work = o.workDir();
        if (Files.exists(o.outDir()) && !o.force()) {
            throw new IllegalStateException("output directory exists: " + o.outDir() + " (use force to replace it)");
        }
        Path ckpt = work.resolve("checkpoint.bin");
        boolean resuming = o.resume() && Files.exists(ckpt);
        if (Files.exists(work) && !resuming) {
            if (!o.force() && !o.resume()) {
                throw new IllegalStateException("work directory " + work + " exists from an earlier run: resume or force");
            }
            AtomicFiles.deleteTree(work);
        }
        Files.createDirectories(work);
        List<Path> files = Corpus.files(o.corpusDir());
        Path tok = work.resolve("tokenizer.json");
        if (!Files.exists(tok)) {
            if (o.tokenizer() != null) {
                Files.copy(o.tokenizer(), tok, StandardCopyOption.REPLACE_EXISTING);
            } else {
                listener.onMessage("training BPE tokenizer, vocab " + o.vocab());
                BpeTrainer.train(files, o.vocab(), work, true);
            }
        }
        Corpus corpus = Corpus.load(files, tok, o.maxCharsPerFile());
        int vocab = ModelDir.vocabSize(tok);
        ModelConfig cfg = o.model() != null ? o.model() : ModelConfig.small(vocab);
        if (cfg.vocab() < vocab) {
            throw new IllegalArgumentException("model vocab " + cfg.vocab() + " < tokenizer vocab " + vocab);
        }
        Model model = new Model(cfg, o.batch(), o.seq(), o.balance());
        model.params().initialise(o.seed(), cfg.layers());
        TrainingLog log = new TrainingLog(work.resolve("training_log.jsonl"));
        int start = 0;
        double tokens = 0;
        if (resuming) {
            double[] st = Checkpoint.load(ckpt, model);
            start = (int) st[0];
            tokens = st[1];
            log.truncateAfter(start);
            listener.onMessage("resumed from step " + start);
        }
        listener.onMessage(String.format(java.util.Locale.ROOT, "model: %d params (%d active per token), %d domains",
                cfg.totalParams(), cfg.activeParams(), corpus.domains().size()));
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, o.weightDecay(), o.gradClip());
        StepLoop loop = new StepLoop(o, model, corpus, adam, log, listener);
        long t0 = System.nanoTime();
        for (int step = start + 1; step <= o.steps(); step++) {
            if (o.maxMinutes() > 0 && step > start + 10 && step % 10 == 1 && step <= o.decayStart()) {
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double perStep = elapsed / (step - 1 - start);
                int fit = step - 1 + (int) ((o.maxMinutes() * 60 - elapsed - 30) / perStep);
                int atLeast = (int) Math.ceil(step / 0.8) + 1; // keep this step inside the constant-lr phase
                int planned = Math.min(opts.steps(), Math.max(fit, atLeast));
                if (planned != o.steps()) {
                    o = o.withSteps(planned, o.maxMinutes());
                    loop = new StepLoop(o, model, corpus, adam, log, listener, loop);
                    listener.onMessage(String.format(java.util.Locale.ROOT,
                            "time budget %.1f min at %.0f ms/step: now %d steps", o.maxMinutes(), perStep * 1000,
                            o.steps()));
                }
            }
            loop.step(step);
            tokens += (double) o.batch() * o.seq();
            if (o.checkpointEvery() > 0 && step % o.checkpointEvery() == 0 && step < o.steps()) {
                Checkpoint.save(ckpt, step, model, tokens);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Checkpoint.save(ckpt, o.steps(), model, tokens);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("balance", o.balance().mode().label());
        training.put("alpha1", o.balance().alpha1());
        training.put("alpha2", o.balance().alpha2());
        training.put("devices", o.balance().devices());
        training.put("gamma", o.balance().gamma());
        training.put("router_z_loss", o.balance().zLoss());
        training.put("gamma_schedule", "constant, then decays with the learning rate over the last 20 % of steps");
        training.put("steps", o.steps());
        training.put("batch", o.batch());
        training.put("seq", o.seq());
        training.put("lr", o.lr());
        training.put("seed", o.seed());
        training.put("tokens", tokens);
        HfExport.export(model, o.balance(), training, tok, work.resolve("training_log.jsonl"), o.outDir(), o.force());
        listener.onMessage("wrote " + o.outDir());
        int ran = o.steps() - start;
        return new TrainResult(o.outDir(), o.steps(), ran, loop.lastLoss, loop.firstLoss,
                ran == 0 ? 0 : wall * 1000 / ran, ran == 0 ? 0 : ran * (double) o.batch() * o.seq() / wall, wall,
                cfg.totalParams(), cfg.activeParams());
    }

    /** One optimisation step plus the bookkeeping for the log. */
    private static final class StepLoop {
        private final TrainOptions o;
        private final Model model;
        private final Corpus corpus;
        private final AdamW adam;
        private final TrainingLog log;
        private final ProgressListener listener;
        private final int[] ids;
        private final int[] targets;
        private final int[] domainOfRow;
        private final double[] domSum;
        private final int[] domCount;
        private final int[][] loadSum;
        private double lossSum;
        private double balSum;
        private double gnSum;
        private int n;
        private long windowStart = System.nanoTime();
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;

        /** Continues an earlier loop's accumulators under new options (a shortened schedule). */
        StepLoop(TrainOptions o, Model model, Corpus corpus, AdamW adam, TrainingLog log, ProgressListener listener,
                StepLoop prev) {
            this(o, model, corpus, adam, log, listener);
            System.arraycopy(prev.domSum, 0, domSum, 0, domSum.length);
            System.arraycopy(prev.domCount, 0, domCount, 0, domCount.length);
            for (int l = 0; l < loadSum.length; l++) {
                System.arraycopy(prev.loadSum[l], 0, loadSum[l], 0, loadSum[l].length);
            }
            lossSum = prev.lossSum;
            balSum = prev.balSum;
            gnSum = prev.gnSum;
            n = prev.n;
            windowStart = prev.windowStart;
            firstLoss = prev.firstLoss;
        }

        StepLoop(TrainOptions o, Model model, Corpus corpus, AdamW adam, TrainingLog log, ProgressListener listener) {
            this.o = o;
            this.model = model;
            this.corpus = corpus;
            this.adam = adam;
            this.log = log;
            this.listener = listener;
            ids = new int[model.rows];
            targets = new int[model.rows];
            domainOfRow = new int[o.batch()];
            domSum = new double[corpus.domains().size()];
            domCount = new int[domSum.length];
            loadSum = new int[model.cfg.layers()][];
            for (int l = 0; l < loadSum.length; l++) {
                loadSum[l] = new int[model.moe[l] == null ? 0 : model.cfg.nRouted()];
            }
        }

        void step(int step) throws IOException {
            corpus.sample(new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + step), o.batch(), o.seq(),
                    model.cfg.bosId(), ids, targets, domainOfRow);
            for (Param p : model.params().all()) {
                p.zeroGrad();
            }
            double ce = model.forward(ids, targets);
            double bal = model.balanceLoss();
            model.backward();
            double lr = o.lrAt(step);
            gnSum += adam.step(model.params().all(), step, lr);
            for (int l = 0; l < model.moe.length; l++) {
                MoeLayer m = model.moe[l];
                if (m != null) {
                    if (o.balance().mode() == BalanceMode.AUX_FREE) {
                        m.router.updateBias(o.balance().gamma() * o.gammaFactorAt(step));
                    }
                    for (int e = 0; e < loadSum[l].length; e++) {
                        loadSum[l][e] += m.router.counts[e];
                    }
                }
            }
            for (int t = 0; t < model.rows; t++) {
                int dm = domainOfRow[t / o.seq()];
                domSum[dm] += model.rowLoss[t];
                domCount[dm]++;
            }
            lossSum += ce;
            balSum += bal;
            n++;
            if (Double.isNaN(firstLoss)) {
                firstLoss = ce;
            }
            if (step % o.logEvery() == 0 || step == o.steps()) {
                report(step, lr);
            }
        }

        private void report(int step, double lr) throws IOException {
            double secs = (System.nanoTime() - windowStart) / 1e9;
            Map<String, Double> dl = new LinkedHashMap<>();
            for (int d = 0; d < domSum.length; d++) {
                dl.put(corpus.domains().get(d).name(), domCount[d] == 0 ? Double.NaN : domSum[d] / domCount[d]);
            }
            double[] ratio = new double[loadSum.length];
            int[][] loads = new int[loadSum.length][];
            for (int l = 0; l < loadSum.length; l++) {
                loads[l] = loadSum[l].clone();
                ratio[l] = Metrics.maxOverMean(loads[l]);
            }
            lastLoss = lossSum / n;
            StepReport r = new StepReport(step, o.steps(), lastLoss, dl, balSum / n, n * (double) model.rows / secs,
                    secs * 1000 / n, lr, gnSum / n, ratio, loads);
            log.append(r);
            listener.onStep(r);
            java.util.Arrays.fill(domSum, 0);
            java.util.Arrays.fill(domCount, 0);
            for (int[] a : loadSum) {
                java.util.Arrays.fill(a, 0);
            }
            lossSum = 0;
            balSum = 0;
            gnSum = 0;
            n = 0;
            windowStart = System.nanoTime();
        }
    }
}
