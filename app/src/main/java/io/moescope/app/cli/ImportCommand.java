package io.moescope.app.cli;

import io.moescope.base.AtomicFiles;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.recording.AtlasFormat;
import io.moescope.model.recording.InitExpertLocation;
import io.moescope.model.recording.RecordingImporter;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.TraceSink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import FILE... [--model-config config.json] --out trace.jsonl}: routing recorded by a serving engine (SGLang
 * expert-distribution dumps, SGLang/vLLM routed experts, MoE Routing Atlas, layer,expert,count CSV, OLMoE pickles) as a moescope
 * trace that {@code diagnose --trace} and the app read; optionally an SGLang {@code --init-expert-location} file
 * and an Atlas JSONL export. Nothing is written when any input is refused.
 */
@Command(
        name = "import",
        description =
                "Convert serving-engine routing recordings (.pt dumps of SGLang's expert "
                        + "distribution recorder, routed-experts JSON/.npy of SGLang and vLLM, Atlas JSON/JSONL, layer,expert,count "
                        + "CSV, OLMoE routing-analysis .pkl) into a moescope trace; pickles are read by a whitelist-only reader that never runs code from them")
public final class ImportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings (all ranks of a per_pass dump together)")
    List<Path> files;

    @Option(
            names = "--model-config",
            paramLabel = "FILE",
            description = "The recorded model's config.json (or its directory): layers, dense layers, experts, top-k; "
                    + "optional for MoE Routing Atlas files, which carry their layers, experts and top-k")
    Path modelConfig;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The trace to write (JSONL)")
    Path out;

    @Option(names = "--atlas-out", paramLabel = "FILE", description = "Also write per-token routing as Atlas JSONL")
    Path atlasOut;

    @Option(names = "--model-id", paramLabel = "ID", description = "model_id of the Atlas export (default: model_type)")
    String modelId;

    @Option(
            names = "--sglang-init-out",
            paramLabel = "FILE",
            description = "Also write a file for SGLang's "
                    + "--init-expert-location: the EPLB placement (physical_to_logical_map) with --devices, else logical_count; "
                    + "a name ending in .pt is written as torch.save does (torch.load(f, weights_only=True) reads it), "
                    + "any other as JSON")
    Path sglangOut;

    @Option(
            names = "--vllm-eplb-out",
            paramLabel = "FILE",
            description = "Also write the --eplb-config JSON for "
                    + "vLLM (vLLM takes no placement file: its EPLB plans from its own window; this sets the redundant "
                    + "experts of --replicas and logs balancedness to compare with this recording)")
    Path vllmOut;

    @Option(names = "--devices", paramLabel = "P", description = "GPUs of the EPLB plan")
    Integer devices;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Nodes of the EPLB plan")
    int nodes;

    @Option(names = "--replicas", paramLabel = "R", defaultValue = "0", description = "Redundant experts of the plan")
    int replicas;

    @Option(names = "--force", description = "Overwrite existing output files")
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<Path> outputs = new ArrayList<>(List.of(out));
        if (atlasOut != null) {
            outputs.add(atlasOut);
        }
        if (sglangOut != null) {
            outputs.add(sglangOut);
        }
        if (vllmOut != null) {
            outputs.add(vllmOut);
        }
        for (Path p : outputs) {
            if (Files.exists(p) && !force) {
                throw new IllegalArgumentException(p + " exists (use --force to overwrite)");
            }
        }
        if (devices != null && sglangOut == null) {
            throw new IllegalArgumentException("--devices plans a placement for --sglang-init-out; give that file too");
        }
        ModelShape shape = RecordingShape.read(modelConfig, files);
        RecordingImporter importer = new RecordingImporter(shape, PickleLimits.DEFAULT);
        RoutingAccumulator counts = new RoutingAccumulator(shape, DiagnosisOptions.defaults());
        RecordingImporter.Summary[] summary = new RecordingImporter.Summary[1];
        AtomicFiles.write(out, traceOut -> {
            try (JsonlTraceWriter trace = new JsonlTraceWriter(traceOut, false)) {
                if (atlasOut == null) {
                    summary[0] = importer.run(files, TraceSink.fanOut(List.of(trace, counts)));
                    return;
                }
                AtomicFiles.write(atlasOut, atlas -> {
                    try (AtlasFormat.Writer w =
                            new AtlasFormat.Writer(atlas, modelId != null ? modelId : shape.modelType())) {
                        summary[0] = importer.run(files, TraceSink.fanOut(List.of(trace, counts, w)));
                    }
                });
            }
        });
        if (sglangOut != null) {
            long[][] byLayer = counts.counts().byDecoderLayer(shape.layerCount());
            AtomicFiles.write(sglangOut, o -> writeSglang(o, byLayer, shape));
        }
        if (vllmOut != null) {
            AtomicFiles.write(vllmOut, o -> InitExpertLocation.writeVllmEplbConfig(replicas, o));
        }
        RecordingImporter.Summary s = summary[0];
        s.formats().forEach(f -> System.err.println("read " + f));
        System.err.println("wrote " + out + ": " + s.sequences() + " sequences, " + s.tokens()
                + " tokens with routing, " + s.countSequences()
                + " of counts only (no router scores in recordings: score-based results are NaN)");
        return 0;
    }

    private void writeSglang(OutputStream o, long[][] totals, ModelShape shape) throws Exception {
        boolean pt = sglangOut.getFileName().toString().endsWith(".pt");
        if (devices == null) {
            if (pt) {
                InitExpertLocation.writeLogicalCountPt(totals, o);
            } else {
                InitExpertLocation.writeLogicalCount(totals, o);
            }
            return;
        }
        int[][] plan = InitExpertLocation.plan(totals, shape, replicas, nodes, devices);
        if (pt) {
            InitExpertLocation.writePhysicalToLogicalPt(plan, o);
        } else {
            InitExpertLocation.writePhysicalToLogical(plan, o);
        }
    }
}
