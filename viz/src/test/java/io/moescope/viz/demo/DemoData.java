package io.moescope.viz.demo;

import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** Deterministic sample grids for the demo: softmax rows with the top two cells of each row marked. */
final class DemoData {

    static final String[] WORDS = ("The quick brown fox jumps over the lazy dog . Mixture of experts "
                    + "routes every token to a few experts , and the router learns which ones fit best . "
                    + "Here we watch it live")
            .split(" ");

    private DemoData() {}

    /** rows x cols softmax grid; rows before {@code promptRows} are tagged 1, the rest 2. */
    static HeatmapSnapshot routing(int rows, int cols, int promptRows, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * cols]; // [row][col], flattened
        BitSet marked = new BitSet();
        int[] tags = new int[rows];
        double[] bias = random.doubles(cols, -1.5, 1.5).toArray();
        for (int r = 0; r < rows; r++) {
            double[] logits = new double[cols];
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                logits[c] = Math.exp(2.2 * (bias[c] + random.nextGaussian()));
                sum += logits[c];
            }
            int best = 0;
            int second = 1;
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (float) (logits[c] / sum);
            }
            for (int c = 0; c < cols; c++) {
                if (values[r * cols + c] > values[r * cols + best]) {
                    second = best;
                    best = c;
                } else if (c != best && values[r * cols + c] > values[r * cols + second]) {
                    second = c;
                }
            }
            marked.set(r * cols + best);
            marked.set(r * cols + second);
            tags[r] = r < promptRows ? 1 : 2;
        }
        List<String> rowLabels =
                IntStream.range(0, rows).mapToObj(r -> WORDS[r % WORDS.length]).toList();
        List<String> colLabels = IntStream.range(0, cols).mapToObj(c -> "e" + c).toList();
        return new HeatmapSnapshot(rows, cols, values, 0f, 1f, rowLabels, colLabels, marked, tags);
    }

    /** How often each column is marked: the "load" of each expert. */
    static BarsSnapshot load(HeatmapSnapshot grid) {
        float[] counts = new float[grid.cols()];
        for (int bit = grid.nextMarkedCell(0); bit >= 0; bit = grid.nextMarkedCell(bit + 1)) {
            counts[bit % grid.cols()]++;
        }
        int busiest = 0;
        for (int c = 0; c < counts.length; c++) {
            busiest = counts[c] > counts[busiest] ? c : busiest;
        }
        return BarsSnapshot.of(counts, grid.colLabels())
                .withHighlighted(busiest)
                .withMeanReference();
    }

    static List<TitledHeatmap> layers(int layers, int rows, int cols) {
        List<TitledHeatmap> blocks = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            blocks.add(new TitledHeatmap("layer " + layer, routing(rows, cols, rows / 3, 100 + layer)));
        }
        return blocks;
    }
}
