import io.moescope.model.train.*;
import java.nio.file.*;
import java.util.*;

/** Trial runs of the balancing demo (docs/training.md, "Live balancing demo"): three copies round-robin, max/mean every 10 steps. */
public class BalanceTrial {
    public static void main(String[] a) throws Exception {
        Map<String,String> m = new HashMap<>();
        for (String s : a) { String[] kv = s.split("="); m.put(kv[0], kv[1]); }
        int d = Integer.parseInt(m.getOrDefault("d", "64"));
        int layers = Integer.parseInt(m.getOrDefault("layers", "3"));
        int e = Integer.parseInt(m.getOrDefault("e", "8"));
        int k = Integer.parseInt(m.getOrDefault("k", "2"));
        int sh = Integer.parseInt(m.getOrDefault("shared", "1"));
        int batch = Integer.parseInt(m.getOrDefault("batch", "4"));
        int seq = Integer.parseInt(m.getOrDefault("seq", "64"));
        double lr = Double.parseDouble(m.getOrDefault("lr", "3e-3"));
        int steps = Integer.parseInt(m.getOrDefault("steps", "300"));
        int chars = Integer.parseInt(m.getOrDefault("chars", "40000"));
        long seed = Long.parseLong(m.getOrDefault("seed", "1234"));
        double alpha = Double.parseDouble(m.getOrDefault("alpha", "0.01"));
        double gamma = Double.parseDouble(m.getOrDefault("gamma", "0.001"));
        String modes = m.getOrDefault("modes", "none,aux,aux-free");
        Path tok = Path.of("resources/models/tiny-deepseekmoe/tokenizer.json");
        Corpus c = Corpus.load(Corpus.files(Path.of(m.getOrDefault("corpus", "/work/shared/corpus"))), tok, chars);
        List<LiveTraining> runs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String mode : modes.split(",")) {
            BalanceMode bm = BalanceMode.parse(mode);
            BalanceConfig bc = new BalanceConfig(bm, bm == BalanceMode.AUX ? alpha : 0, 0, 1, bm == BalanceMode.AUX_FREE ? gamma : 0, false);
            ModelConfig cfg = new ModelConfig(2048, d, 2 * d, d / 2 > 0 ? Integer.parseInt(m.getOrDefault("ew", "" + d/2)) : 1, layers, Integer.parseInt(m.getOrDefault("heads","2")), e, sh, k, 10000.0, 1e-6, 512, 0, 1);
            TrainOptions o = TrainOptions.defaults(null, null, bc, steps).with(cfg, steps, batch, seq)
                .withSchedule(lr, Integer.parseInt(m.getOrDefault("warmup", "20")), seed)
                .withRun(null, 2048, false, false, 1, 0, 0);
            runs.add(new LiveTraining(o, c));
            names.add(mode);
        }
        long t0 = System.nanoTime();
        double[] ms = new double[runs.size()];
        long[][][] acc = new long[runs.size()][layers][e];
        for (int s = 1; s <= steps; s++) {
            StringBuilder sb = new StringBuilder("step " + s);
            for (int i = 0; i < runs.size(); i++) {
                long a0 = System.nanoTime();
                StepReport r = runs.get(i).step();
                ms[i] += (System.nanoTime() - a0) / 1e6;
                for (int l = 0; l < layers; l++) for (int x = 0; x < r.loads()[l].length; x++) acc[i][l][x] += r.loads()[l][x];
                if (s % 10 == 0) {
                    sb.append(String.format(Locale.ROOT, " | %s loss %.3f bal %.4f mm", names.get(i), r.loss(), r.balanceLoss()));
                    for (int l = 0; l < r.imbalance().length; l++) if (r.loads()[l].length > 0) {
                        long sum = 0, mx = 0; for (long v : acc[i][l]) { sum += v; mx = Math.max(mx, v); }
                        sb.append(String.format(Locale.ROOT, " %.2f", mx / (sum / (double) e)));
                        java.util.Arrays.fill(acc[i][l], 0);
                    }
                }
            }
            if (s % 10 == 0) {
                sb.append(String.format(Locale.ROOT, " | t %.1fs", (System.nanoTime() - t0) / 1e9));
                System.out.println(sb);
            }
        }
        for (int i = 0; i < runs.size(); i++) System.out.printf(Locale.ROOT, "%s mean ms/step %.1f%n", names.get(i), ms[i] / steps);
    }
}
