package io.moescope.app.cli;

import io.moescope.base.AtomicFiles;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TraceSink;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate --model DIR --prompt TEXT [...]}: streams the continuation to stdout. */
@Command(name = "generate", description = "Generate text and stream it to stdout (optionally recording the trace)")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = false, multiplicity = "1")
    PromptOptions prompt;

    @Mixin
    InterventionOptions intervention;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens to generate (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0.8",
            description = "Sampling temperature; 0 = greedy " + "(default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass (default ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep only the K most likely tokens; 0 = all")
    int topK;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--greedy", description = "Greedy decoding (same as --temperature 0)")
    boolean greedy;

    @Option(
            names = "--ignore-eos",
            description = "Keep generating past the end-of-sequence token, up to --max-tokens or the context")
    boolean ignoreEos;

    @Option(names = "--trace", paramLabel = "FILE", description = "Also write the routing trace (JSONL) to FILE")
    Path trace;

    @Spec
    CommandSpec spec;

    @Option(names = "--stats", description = "Print speed figures to stderr at the end")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be ≥ 0, got " + maxTokens);
        }
        SamplingParams sampling = new SamplingParams(greedy ? 0 : temperature, topK, topP, seed);
        try (MoeModel m = model.open();
                CtrlC ctrlC = CtrlC.arm("generate", 20)) {
            GenerationRequest req = prompt.request(m, maxTokens, sampling)
                    .withIntervention(intervention.build(m))
                    .withStopAtEos(!ignoreEos);
            PrintStream out = new PrintStream(
                    new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
            Generator gen = new Generator(m);
            GenerationResult[] result = new GenerationResult[1];
            try {
                if (trace == null) {
                    result[0] = run(gen, req, TraceSink.DISABLED, out, ctrlC);
                } else {
                    AtomicFiles.write(trace, o -> {
                        try (JsonlTraceWriter w = new JsonlTraceWriter(o, false)) {
                            result[0] = run(gen, req, w, out, ctrlC);
                        }
                    });
                }
            } catch (CancellationException e) { // Ctrl-C: one line, and the trace's temporary is already deleted
                out.println();
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 130;
            }
            out.println();
            if (stats) {
                GenerationResult r = result[0];
                System.err.printf(
                        java.util.Locale.ROOT,
                        "prompt %d tokens (%.1f tok/s), generated %d (%.1f tok/s), " + "stop: %s%n",
                        r.promptLength(),
                        r.prefillTokensPerSecond(),
                        r.generatedCount(),
                        r.decodeTokensPerSecond(),
                        r.stopReason());
            }
        }
        return 0;
    }

    /** Generates, streaming decoded text; Ctrl-C stops after the current token with a CancellationException. */
    private GenerationResult run(Generator gen, GenerationRequest req, TraceSink sink, PrintStream out, CtrlC ctrlC) {
        GenerationResult r = gen.generate(
                req,
                sink,
                (pos, id, text, phase) -> {
                    if (phase == Phase.DECODE) {
                        out.print(text);
                    }
                },
                ctrlC::pressed);
        if (r.stopReason() == StopReason.CANCELLED) {
            throw new CancellationException("interrupted (Ctrl-C) after " + r.generatedCount() + " generated tokens"
                    + (trace == null ? "" : "; " + trace + " not written"));
        }
        return r;
    }
}
