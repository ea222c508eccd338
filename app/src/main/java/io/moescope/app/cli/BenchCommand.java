package io.moescope.app.cli;

import io.moescope.model.runtime.SpeedBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench --model DIR [--tokens N] [--trace on|off]}: decode/prefill speed against the bandwidth limit. */
@Command(
        name = "bench",
        description = "Measure prefill and decode speed, trace overhead and the memory-bandwidth "
                + "roofline; prints one JSON object")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--tokens", defaultValue = "32", description = "Decode tokens to time (default ${DEFAULT-VALUE})")
    int tokens;

    @Option(
            names = "--prompt-tokens",
            defaultValue = "64",
            description = "Prompt tokens for prefill " + "(default ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--trace", defaultValue = "both", description = "on, off or both (both measures the overhead)")
    String trace;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Alternating off/on rounds; best of each is reported " + "(default ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        try (var m = model.open()) {
            double open = (System.nanoTime() - t0) / 1e9;
            System.out.println(new SpeedBenchmark(m)
                    .openSeconds(open)
                    .run(tokens, promptTokens, trace, rounds)
                    .toJson());
        }
        return 0;
    }
}
