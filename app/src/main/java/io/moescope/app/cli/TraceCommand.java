package io.moescope.app.cli;

import io.moescope.base.AtomicFiles;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.JsonlTraceWriter;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trace --model DIR (--ids ..|--prompt ..) [--logits] [--out FILE]}: the routing of a prompt as JSONL. */
@Command(
        name = "trace",
        description = "Run a prompt through the model and print its routing trace as JSON Lines "
                + "(format: docs/trace-format.md)")
public final class TraceCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = false, multiplicity = "1")
    PromptOptions prompt;

    @Mixin
    InterventionOptions intervention;

    @Option(names = "--logits", description = "Also write each position's next-token logits")
    boolean logits;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the trace to FILE instead of stdout")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (MoeModel m = model.open()) {
            GenerationRequest req = prompt.request(m, 0, SamplingParams.GREEDY).withIntervention(intervention.build(m));
            Generator gen = new Generator(m);
            if (out == null) {
                OutputStream stdout = new java.io.BufferedOutputStream(System.out);
                try (JsonlTraceWriter w = new JsonlTraceWriter(stdout, logits)) {
                    gen.generate(req, w, TokenListener.NONE);
                }
                stdout.flush();
            } else {
                AtomicFiles.write(out, o -> {
                    try (JsonlTraceWriter w = new JsonlTraceWriter(o, logits)) {
                        gen.generate(req, w, TokenListener.NONE);
                    }
                });
            }
        }
        return 0;
    }
}
