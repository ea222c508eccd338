package io.moescope.jmh;

import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.trace.TraceSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode and prefill cost as CPU time of the engine's threads (this one and the kernel pool's
 * {@code moescope-kernel-N}; no JIT compiler, no GC), which a loaded host inflates far less than wall time: per round
 * a random prompt is prefilled and {@code tokens} tokens are decoded greedily; the CPU time up to the first generated
 * token is the prefill's, the rest the decode's. Made to compare two forms of the same weights (gpt-oss as
 * safetensors and as GGUF) on a host where wall-clock figures drift by 2× between runs. The first round includes the
 * JIT's warm-up.
 *
 * <pre>
 * java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "jmh/target/classes:jmh/target/lib/*" \
 *     io.moescope.jmh.DecodeCpuProbe /work/bench-models/famfig/gpt-oss-20b-l6.gguf 64 32 3
 * </pre>
 *
 * Arguments: the model (directory or GGUF file), prompt tokens (default 64), decode tokens (32), rounds (3).
 */
public final class DecodeCpuProbe {

    private DecodeCpuProbe() {}

    /** CPU nanoseconds of the calling thread and the kernel pool's threads (PrefillCpuProbe uses it too). */
    static long engineCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = mx.getCurrentThreadCpuTime();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("moescope-kernel-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int promptTokens = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (MoeModel model = MoeModel.open(path)) {
            Generator gen = new Generator(model);
            int vocab = model.config().vocabSize();
            for (int round = 1; round <= rounds; round++) {
                int[] prompt = new SplittableRandom(7 + round)
                        .ints(promptTokens, 0, vocab)
                        .toArray();
                long[] firstToken = {-1};
                long cpu0 = engineCpu();
                GenerationResult r = gen.generate(
                        GenerationRequest.of(prompt, tokens + 1, SamplingParams.GREEDY),
                        TraceSink.DISABLED,
                        (position, id, text, phase) -> {
                            if (firstToken[0] < 0) {
                                firstToken[0] = engineCpu();
                            }
                        });
                long cpu1 = engineCpu();
                double prefillCpu = (firstToken[0] - cpu0) / 1e9;
                double decodeCpu = (cpu1 - firstToken[0]) / 1e9;
                int fed = r.generatedCount() - 1;
                System.out.printf(
                        Locale.ROOT,
                        "round %d: prefill %d tok %.2f tok/s wall, %.2f per engine CPU-s; decode %d tok %.2f tok/s"
                                + " wall, %.2f per engine CPU-s (%.1f ms CPU per token); load %.2f%n",
                        round,
                        promptTokens,
                        r.prefillTokensPerSecond(),
                        promptTokens / prefillCpu,
                        fed,
                        r.decodeTokensPerSecond(),
                        fed / decodeCpu,
                        1e3 * decodeCpu / fed,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }
}
