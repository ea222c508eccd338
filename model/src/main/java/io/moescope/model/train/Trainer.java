package io.moescope.model.train;

import io.moescope.base.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trains a DeepSeekMoE model on the four-domain corpus and exports it as a Hugging Face directory. */
public final class Trainer {
    private Trainer() {}

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
                throw new IllegalStateException(
                        "work directory " + work + " exists from an earlier run: resume or force");
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
        listener.onMessage(String.format(
                java.util.Locale.ROOT,
                "model: %d params (%d active per token), %d domains",
                cfg.totalParams(),
                cfg.activeParams(),
                corpus.domains().size()));
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
                    listener.onMessage(String.format(
                            java.util.Locale.ROOT,
                            "time budget %.1f min at %.0f ms/step: now %d steps",
                            o.maxMinutes(),
                            perStep * 1000,
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
        training.put("gamma_schedule", "constant, then linearly to 0 over the last 20 % of steps");
        training.put("steps", o.steps());
        training.put("batch", o.batch());
        training.put("seq", o.seq());
        training.put("lr", o.lr());
        training.put("seed", o.seed());
        training.put("tokens", tokens);
        HfExport.export(model, o.balance(), training, tok, work.resolve("training_log.jsonl"), o.outDir(), o.force());
        listener.onMessage("wrote " + o.outDir());
        int ran = o.steps() - start;
        return new TrainResult(
                o.outDir(),
                o.steps(),
                ran,
                loop.lastLoss,
                loop.firstLoss,
                ran == 0 ? 0 : wall * 1000 / ran,
                ran == 0 ? 0 : ran * (double) o.batch() * o.seq() / wall,
                wall,
                cfg.totalParams(),
                cfg.activeParams());
    }
}
