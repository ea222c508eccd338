package io.moescope.app.teach;

import io.moescope.model.train.StepReport;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One training copy's history as the balancing view draws it: per logged step the language-model loss, the
 * balance loss, the worst MoE layer's max/mean load, and each MoE layer's expert loads relative to the mean
 * (1 = a fair share). Max/mean is taken over the loads of the last {@code window} reports, so a live run's
 * one-step batches (noisy: 512 slots over 8 experts) read like the shipped logs' 20-step sums.
 * One thread appends and reads (the FX thread); {@link #view()} copies out.
 */
public final class BalanceTrack {

    /** What one copy shows at a moment: immutable. */
    public record View(
            String label,
            int[] steps,
            double[] loss,
            double[] balanceLoss,
            double[] maxOverMean,
            List<TitledHeatmap> heatmaps,
            String summary) {
        /** Steps shown. */
        public int size() {
            return steps.length;
        }

        /** The latest max/mean, NaN before the first step. */
        public double lastMaxOverMean() {
            return steps.length == 0 ? Double.NaN : maxOverMean[steps.length - 1];
        }
    }

    private final String label;
    private final int window;
    private int[] moeLayers = new int[0]; // decoder layer numbers that have experts
    private int experts;
    private int size;
    private int[] steps = new int[64];
    private double[] loss = new double[64];
    private double[] balance = new double[64];
    private double[] ratio = new double[64];
    private float[][] relative = new float[0][]; // [moe layer][step · E + e], load / mean load
    private final List<long[][]> recent = new ArrayList<>(); // the last `window` reports' loads [moe layer][E]

    BalanceTrack(String label, int window) {
        this.label = label;
        this.window = Math.max(1, window);
    }

    void clear() {
        size = 0;
        moeLayers = new int[0];
        experts = 0;
        relative = new float[0][];
        recent.clear();
    }

    int size() {
        return size;
    }

    String label() {
        return label;
    }

    /** Appends a report; the first one fixes the MoE layers and the expert count. */
    void add(StepReport r) {
        if (size == 0) {
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < r.loads().length; l++) {
                if (r.loads()[l].length > 0) {
                    layers.add(l);
                    experts = r.loads()[l].length;
                }
            }
            moeLayers = layers.stream().mapToInt(Integer::intValue).toArray();
            relative = new float[moeLayers.length][64 * Math.max(1, experts)];
        }
        if (size == steps.length) {
            int n = size * 2;
            steps = Arrays.copyOf(steps, n);
            loss = Arrays.copyOf(loss, n);
            balance = Arrays.copyOf(balance, n);
            ratio = Arrays.copyOf(ratio, n);
            for (int m = 0; m < relative.length; m++) {
                relative[m] = Arrays.copyOf(relative[m], n * experts);
            }
        }
        long[][] loads = new long[moeLayers.length][experts];
        double worst = 0;
        for (int m = 0; m < moeLayers.length; m++) {
            int[] c = moeLayers[m] < r.loads().length ? r.loads()[moeLayers[m]] : new int[0];
            long total = 0;
            for (int e = 0; e < Math.min(experts, c.length); e++) {
                loads[m][e] = c[e];
                total += c[e];
            }
            double mean = total / (double) Math.max(1, experts);
            for (int e = 0; e < experts; e++) {
                relative[m][size * experts + e] = mean == 0 ? 0f : (float) (loads[m][e] / mean);
            }
        }
        recent.add(loads);
        if (recent.size() > window) {
            recent.remove(0);
        }
        for (int m = 0; m < moeLayers.length; m++) {
            long total = 0;
            long max = 0;
            for (int e = 0; e < experts; e++) {
                long sum = 0;
                for (long[][] w : recent) {
                    sum += w[m][e];
                }
                total += sum;
                max = Math.max(max, sum);
            }
            worst = Math.max(worst, total == 0 ? 0 : max / (total / (double) experts));
        }
        steps[size] = r.step();
        loss[size] = r.loss();
        balance[size] = r.balanceLoss();
        ratio[size] = worst;
        size++;
    }

    /**
     * A copy of everything drawn: per MoE layer a heatmap of experts (rows) over steps (columns), the value a
     * step's load over the mean load, drawn from 0 to {@code maxShare} (E / k: one expert takes every token).
     */
    View view(float maxShare) {
        List<TitledHeatmap> maps = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            rows.add("E" + e);
        }
        List<String> cols = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            cols.add("step " + steps[i]);
        }
        for (int m = 0; m < moeLayers.length; m++) {
            float[] grid = new float[experts * size]; // [expert][step]
            for (int i = 0; i < size; i++) {
                for (int e = 0; e < experts; e++) {
                    grid[e * size + i] = relative[m][i * experts + e];
                }
            }
            maps.add(new TitledHeatmap(
                    "Layer " + moeLayers[m],
                    new HeatmapSnapshot(experts, size, grid, 0f, Math.max(1f, maxShare), rows, cols)));
        }
        String summary = size == 0
                ? ""
                : String.format(
                        java.util.Locale.ROOT,
                        "step %d · max/mean %.2f%nLM loss %.2f · balance loss %.3f",
                        steps[size - 1],
                        ratio[size - 1],
                        loss[size - 1],
                        balance[size - 1]);
        return new View(
                label,
                Arrays.copyOf(steps, size),
                Arrays.copyOf(loss, size),
                Arrays.copyOf(balance, size),
                Arrays.copyOf(ratio, size),
                maps,
                summary);
    }
}
