package io.moescope.app.cli;

import io.moescope.model.synth.SyntheticCheckpoint;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synth --like NAME --dtype bf16|f32 --out DIR}: a real-shape checkpoint with random weights, for benchmarks. */
@Command(
        name = "synth",
        description = "Write a Hugging Face checkpoint with the real shapes, names and config keys of a "
                + "known MoE model and random weights (no tokenizer), streamed to disk")
public final class SynthCommand implements Callable<Integer> {

    @Option(
            names = "--like",
            required = true,
            paramLabel = "NAME",
            description = "olmoe-1b-7b, deepseek-v2-lite, qwen1.5-moe-a2.7b, mixtral-8x7b, glm-4.5-air, "
                    + "ernie-4.5-21b-a3b, granite-3.1-3b-a800m, gpt-oss-20b (MXFP4 experts) or tiny")
    String like;

    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16, f16 or f32 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to create")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--layers", defaultValue = "0", description = "Decoder layers (default: the real model's)")
    int layers;

    @Option(names = "--force", description = "Replace an existing output directory")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SyntheticCheckpoint s = SyntheticCheckpoint.of(like, dtype, layers);
        long total = s.dataBytes(dtype);
        long[] shown = {0};
        long t0 = System.nanoTime();
        SyntheticCheckpoint.Summary r =
                s.write(out, dtype, seed, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, force, done -> {
                    if (total > (1L << 30) && done - shown[0] >= (1L << 30)) {
                        shown[0] = done;
                        System.err.printf(Locale.ROOT, "synth: %.1f / %.1f GB%n", done / 1e9, total / 1e9);
                    }
                });
        System.out.printf(
                Locale.ROOT,
                "{\"out\":\"%s\",\"model_type\":\"%s\",\"layers\":%d,\"shards\":%d,"
                        + "\"tensors\":%d,\"bytes\":%d,\"seconds\":%.1f}%n",
                r.directory().toString().replace("\\", "\\\\"),
                r.modelType(),
                r.layers(),
                r.shards(),
                r.tensors(),
                r.bytes(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
