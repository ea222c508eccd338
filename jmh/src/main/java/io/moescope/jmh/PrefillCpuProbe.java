package io.moescope.jmh;

import com.sun.management.OperatingSystemMXBean;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.TraceSink;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prefill cost as CPU time, which a loaded host inflates far less than wall time: one model, a random prompt of each
 * length in turn prefilled (generating one token) in rounds; per round and length, tokens per second of wall time
 * and per CPU-second, of the whole process and of the engine's threads only (this one and the kernel pool's
 * {@code moescope-kernel-N}: no JIT compiler, no GC). The first round includes the JIT's warm-up.
 *
 * <pre>
 * java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "jmh/target/classes:jmh/target/lib/*" \
 *     io.moescope.jmh.PrefillCpuProbe /work/bench-models/olmoe-bf16 64,512 3
 * </pre>
 *
 * Arguments: the model (directory or GGUF file), prompt lengths, rounds (default 3).
 */
public final class PrefillCpuProbe {

    private PrefillCpuProbe() {}

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        String[] lengths = (args.length > 1 ? args[1] : "64,512").split(",");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (MoeModel model = MoeModel.open(path)) {
            Generator gen = new Generator(model);
            int vocab = model.config().vocabSize();
            for (int round = 1; round <= rounds; round++) {
                for (String s : lengths) {
                    int n = Integer.parseInt(s);
                    int[] prompt = new SplittableRandom(7).ints(n, 0, vocab).toArray();
                    long cpu0 = os.getProcessCpuTime();
                    long eng0 = DecodeCpuProbe.engineCpu();
                    long t0 = System.nanoTime();
                    GenerationResult r = gen.generate(
                            GenerationRequest.of(prompt, 1, SamplingParams.GREEDY),
                            TraceSink.DISABLED,
                            TokenListener.NONE);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                    double eng = (DecodeCpuProbe.engineCpu() - eng0) / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d prompt %d: %.2f tok/s wall, %.2f tok per CPU-s of the process, %.2f of the"
                                    + " engine threads (cpu %.1f / %.1f s, wall %.1f s, engine prefill %.2f tok/s)"
                                    + " load %.2f%n",
                            round,
                            n,
                            n / wall,
                            n / cpu,
                            n / eng,
                            cpu,
                            eng,
                            wall,
                            r.prefillTokensPerSecond(),
                            os.getSystemLoadAverage());
                }
            }
        }
    }
}
