import io.moescope.model.train.*;
import java.nio.file.*;
import java.util.*;

/** Round-robin against a thread per copy for the balancing demo (docs/benchmarks.md, "Balancing demo threads"). */
public class BalanceThreads {
    static List<LiveTraining> copies(Corpus c, int vocab, int steps) {
        List<LiveTraining> out = new ArrayList<>();
        for (BalanceMode m : BalanceMode.values()) out.add(new LiveTraining(DemoRecipe.options(m, vocab, steps), c));
        return out;
    }
    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(a[0]);
        Path tok = Path.of("resources/models/tiny-deepseekmoe/tokenizer.json");
        Corpus c = DemoRecipe.corpus(Path.of("resources/demo-corpus"), tok);
        int vocab = DemoRecipe.vocab(tok);
        DemoRecipe.useOneBlasThread();
        for (int rep = 0; rep < 2; rep++) {
            List<LiveTraining> rr = copies(c, vocab, steps);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) for (LiveTraining l : rr) l.step();
            double tr = (System.nanoTime() - t0) / 1e9;
            List<LiveTraining> th = copies(c, vocab, steps);
            t0 = System.nanoTime();
            List<Thread> ts = new ArrayList<>();
            for (LiveTraining l : th) { Thread t = new Thread(() -> { while (!l.done()) l.step(); }); t.start(); ts.add(t); }
            for (Thread t : ts) t.join();
            double tt = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "rep %d: %d steps × 3 copies: round-robin %.1f s, thread per copy %.1f s%n", rep, steps, tr, tt);
        }
    }
}
