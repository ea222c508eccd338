package io.moescope.app.cli;

import io.moescope.app.report.DiagnoseRunner;
import io.moescope.app.report.RecordingDiagnosis;
import io.moescope.app.report.TraceDiagnosis;
import io.moescope.model.diagnosis.DiagnosisOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code diagnose --model DIR --corpus FILE...}: load-balance diagnosis of a corpus (format: docs/diagnosis.md). */
@Command(
        name = "diagnose",
        description = "Run a corpus through the model (prefill only) and write a load-balance "
                + "report (report.json, CSV, PNG, report.html) to --out. Ctrl-C stops and still writes the report of the "
                + "tokens processed (see docs/diagnosis.md)")
public final class DiagnoseCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "PATH", description = "Hugging Face model directory or .gguf file")
    Path model;

    @Option(
            names = "--trace",
            paramLabel = "FILE",
            description = "Diagnose a saved JSONL routing trace instead of running a model (no --model/--corpus)")
    Path trace;

    @Option(
            names = "--recording",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Diagnose routing recorded "
                    + "by a serving engine (what `import` reads: SGLang dumps, routed experts, Atlas, CSV, OLMoE .pkl; all ranks of a "
                    + "dump together) instead of running a model; needs --model-config except for Atlas files")
    List<Path> recording;

    @Option(
            names = "--model-config",
            paramLabel = "FILE",
            description = "With --recording: the recorded model's config.json (or its directory); an Atlas "
                    + "recording carries its own layers, experts and top-k")
    Path modelConfig;

    @Option(
            names = "--corpus",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Corpus files: .txt (plain UTF-8), .jsonl (a \"text\" field per line) or .ids (token ids "
                    + "per line); each file is one domain")
    List<Path> corpus;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Stop after N tokens (default: the whole corpus or trace)")
    long maxTokens;

    @Option(
            names = "--chunk",
            paramLabel = "N",
            defaultValue = "256",
            description = "Tokens per chunk (= sequence), at most the model context (default: ${DEFAULT-VALUE})")
    int chunk;

    @Option(
            names = "--devices",
            paramLabel = "D",
            description = "GPUs for the expert-placement what-if and the "
                    + "device-level losses (must divide the expert count)")
    Integer devices;

    @Option(names = "--nodes", paramLabel = "G", defaultValue = "1", description = "Nodes the GPUs are spread over")
    int nodes;

    @Option(
            names = "--replicas",
            paramLabel = "R",
            defaultValue = "0",
            description = "Redundant experts for EPLB (slots = experts + R; must keep slots divisible by D)")
    int replicas;

    @Option(
            names = "--device-limit",
            paramLabel = "M",
            defaultValue = "3",
            description = "Devices a token may reach in the device-limited routing what-if (DeepSeek-V2: 3)")
    int deviceLimit;

    @Option(
            names = "--capacity-factor",
            arity = "1..*",
            paramLabel = "C",
            description = "Capacity factors for the token-dropping what-if (default: 1 1.25 1.5 2)")
    double[] capacityFactors;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the report")
    Path out;

    @Option(names = "--force", description = "Write into --out even if it exists")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (chunk < 2) {
            throw new IllegalArgumentException("--chunk must be at least 2 tokens, got " + chunk);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be ≥ 0, got " + maxTokens);
        }
        if (trace != null && recording != null
                || trace == null && recording == null && (model == null || corpus == null)) {
            throw new IllegalArgumentException("give --model DIR and --corpus FILE..., or --trace FILE, or "
                    + "--recording FILE... [--model-config config.json]");
        }
        if (modelConfig != null && recording == null) {
            throw new IllegalArgumentException("--model-config describes the model of --recording; give that too");
        }
        double[] factors = capacityFactors == null ? DiagnosisOptions.DEFAULT_CAPACITY_FACTORS : capacityFactors;
        // without a model: the routing comes from a recording or a trace file
        DiagnoseRunner.Settings offline = new DiagnoseRunner.Settings(
                null, List.of(), maxTokens, chunk, devices, nodes, replicas, factors, deviceLimit, out, force);
        if (recording != null) {
            RecordingDiagnosis.run(recording, modelConfig, offline, System.err, System.out);
            return 0;
        }
        if (trace != null) {
            TraceDiagnosis.run(trace, offline, System.err);
            return 0;
        }
        try (CtrlC ctrlC = CtrlC.arm("diagnose", 120)) { // the run finishes its chunk and writes the report
            new DiagnoseRunner(System.err, ctrlC::pressed)
                    .run(new DiagnoseRunner.Settings(
                            model,
                            corpus,
                            maxTokens,
                            chunk,
                            devices,
                            nodes,
                            replicas,
                            factors,
                            deviceLimit,
                            out,
                            force));
        }
        return 0;
    }
}
