package io.moescope.model.train;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One optimisation step plus the bookkeeping for the log: losses, balance loss and expert loads are summed over
 * the steps since the last logged step and handed to the listener (and the training log, if there is one) every
 * {@code logEvery} steps. Used by {@link Trainer} and {@link LiveTraining}.
 */
final class StepLoop {
    private final TrainOptions o;
    private final Model model;
    private final Corpus corpus;
    private final AdamW adam;
    private final TrainingLog log; // null: nothing written (live training)
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
    StepLoop(
            TrainOptions o,
            Model model,
            Corpus corpus,
            AdamW adam,
            TrainingLog log,
            ProgressListener listener,
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
        corpus.sample(
                new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + step),
                o.batch(),
                o.seq(),
                model.cfg.bosId(),
                ids,
                targets,
                domainOfRow);
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
        StepReport r = new StepReport(
                step,
                o.steps(),
                lastLoss,
                dl,
                balSum / n,
                n * (double) model.rows / secs,
                secs * 1000 / n,
                lr,
                gnSum / n,
                ratio,
                loads);
        if (log != null) {
            log.append(r);
        }
        listener.onStep(r);
        Arrays.fill(domSum, 0);
        Arrays.fill(domCount, 0);
        for (int[] a : loadSum) {
            Arrays.fill(a, 0);
        }
        lossSum = 0;
        balSum = 0;
        gnSum = 0;
        n = 0;
        windowStart = System.nanoTime();
    }
}
