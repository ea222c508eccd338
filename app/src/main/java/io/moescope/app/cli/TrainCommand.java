package io.moescope.app.cli;

import io.moescope.model.train.BalanceConfig;
import io.moescope.model.train.BalanceMode;
import io.moescope.model.train.ModelConfig;
import io.moescope.model.train.ProgressListener;
import io.moescope.model.train.TrainOptions;
import io.moescope.model.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --corpus DIR --out DIR [--balance none|aux|aux-free] [--steps N] [--seed S] ...}. */
@Command(
        name = "train",
        description = "Train a small DeepSeekMoE (shared + fine-grained routed experts) on a corpus "
                + "directory of *.txt domain files; writes a Hugging Face model directory (docs/training.md)")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    CorpusOption corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write (atomically)")
    Path out;

    @Option(
            names = "--balance",
            defaultValue = "aux-free",
            description = "none, aux (DeepSeekMoE α1/α2 losses) or "
                    + "aux-free (DeepSeek-V3 bias update); default ${DEFAULT-VALUE}")
    String balance;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimiser steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(
            names = "--max-minutes",
            defaultValue = "0",
            description = "Fit the run into this wall-clock budget by "
                    + "re-planning the step count during the constant-lr phase (0 = exactly --steps)")
    double maxMinutes;

    @Option(names = "--seed", defaultValue = "1234", description = "Random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Tokens per sequence (default ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "50", description = "Warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--alpha1", defaultValue = "0.01", description = "Expert-level balance loss weight (aux)")
    double alpha1;

    @Option(names = "--alpha2", defaultValue = "0", description = "Device-level balance loss weight (aux)")
    double alpha2;

    @Option(names = "--devices", defaultValue = "4", description = "Devices for the device-level loss (aux)")
    int devices;

    @Option(names = "--gamma", defaultValue = "0.001", description = "Bias update speed (aux-free)")
    double gamma;

    @Option(
            names = "--z-loss",
            defaultValue = "0",
            description = "Router z-loss weight: β·mean(logsumexp of the "
                    + "router logits)², keeps the router softmax soft so the chosen experts share the weight (0 = off)")
    double zLoss;

    @Option(names = "--norm-topk", description = "Divide the top-k scores by their sum (norm_topk_prob)")
    boolean normTopK;

    @Option(
            names = "--routed-experts",
            defaultValue = "16",
            description = "Routed experts per MoE layer " + "(default ${DEFAULT-VALUE})")
    int routedExperts;

    @Option(
            names = "--expert-width",
            defaultValue = "128",
            description = "Intermediate width of one expert " + "(default ${DEFAULT-VALUE})")
    int expertWidth;

    @Option(
            names = "--shared-experts",
            defaultValue = "2",
            description = "Shared experts per MoE layer, 0 = none " + "(default ${DEFAULT-VALUE})")
    int sharedExperts;

    @Option(
            names = "--top-k",
            defaultValue = "4",
            description = "Routed experts chosen per token " + "(default ${DEFAULT-VALUE})")
    int topK;

    @Option(
            names = "--context",
            defaultValue = "512",
            description = "max_position_embeddings written to config.json " + "(default ${DEFAULT-VALUE})")
    int context;

    @Option(
            names = "--tokenizer",
            paramLabel = "FILE",
            description =
                    "Existing tokenizer.json (default: train a " + "byte-level BPE of --vocab tokens on the corpus)")
    Path tokenizer;

    @Option(names = "--vocab", defaultValue = "2048", description = "BPE vocabulary size (default ${DEFAULT-VALUE})")
    int vocab;

    @Option(names = "--log-every", defaultValue = "10", description = "Steps between progress lines")
    int logEvery;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in OUT.work")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing output directory")
    boolean force;

    // Experiment knobs of the former class-path entry point (TrainMain), kept out of --help.
    @Option(names = "--seq-aux", hidden = true, description = "Balance losses per sequence instead of per batch (aux)")
    boolean seqAux;

    @Option(
            names = "--max-chars",
            hidden = true,
            defaultValue = "0",
            description = "Read at most this many " + "characters of each corpus file (0 = all)")
    int maxChars;

    @Override
    public Integer call() throws Exception {
        BalanceConfig bc = new BalanceConfig(BalanceMode.parse(balance), alpha1, alpha2, devices, gamma, seqAux, zLoss);
        ModelConfig small = ModelConfig.small(vocab);
        ModelConfig m = small.withExperts(routedExperts, expertWidth, sharedExperts, topK, context, normTopK);
        TrainOptions o = TrainOptions.defaults(corpus.dir, out, bc, steps)
                .with(m.equals(small) ? null : m, steps, batch, seq)
                .withSchedule(lr, warmup, seed)
                .withRun(tokenizer, vocab, force, resume, logEvery, checkpointEvery, maxChars)
                .withSteps(steps, maxMinutes);
        System.out.println(Trainer.run(o, ProgressListener.console()));
        return 0;
    }
}
