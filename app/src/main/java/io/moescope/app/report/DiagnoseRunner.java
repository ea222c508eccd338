package io.moescope.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.Divisors;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs a corpus through a model (prefill only, chunk by chunk) into a {@link RoutingAccumulator}, then writes
 * the report. Stops cleanly between chunks when {@code cancelled} turns true and still writes the report of
 * the tokens processed so far.
 */
public final class DiagnoseRunner {

    /**
     * @param devices  GPUs for the placement what-if (and the device split of the losses), null = none
     * @param chunk    tokens per chunk (capped at the model's context)
     */
    public record Settings(
            Path model,
            List<Path> corpus,
            long maxTokens,
            int chunk,
            Integer devices,
            int nodes,
            int replicas,
            double[] capacityFactors,
            int deviceLimit,
            Path out,
            boolean force) {}

    private final PrintStream err;
    private final BooleanSupplier cancelled;

    public DiagnoseRunner(PrintStream err, BooleanSupplier cancelled) {
        this.err = err;
        this.cancelled = cancelled;
    }

    /** Progress of a corpus run: tokens so far, corpus bytes read of all. */
    public interface Progress {
        void update(long tokens, long bytesRead, long totalBytes);
    }

    /** Diagnoses the corpus and writes the report files; returns the report. */
    public DiagnosisReport run(Settings s) throws Exception {
        ReportFiles.checkOut(s.out(), s.force());
        CorpusReader.checkFiles(s.corpus());
        try (MoeModel model = MoeModel.open(s.model())) {
            long totalBytes = 0;
            for (Path f : s.corpus()) {
                totalBytes += Files.size(f);
            }
            ProgressBar bar = new ProgressBar(err, totalBytes, s.maxTokens());
            long[] bytes = new long[1];
            DiagnosisReport report = diagnose(model, s, (tokens, read, total) -> {
                bytes[0] = read;
                bar.update(tokens, read, false);
            });
            bar.finish(report.tokens(), bytes[0]);
            report.run().warnings().forEach(w -> err.println("warning: " + w));
            ReportFiles.write(report, s.out(), s.force());
            double seconds = report.run().seconds();
            err.printf(
                    "%s%,d tokens in %.1f s (%,.0f tokens/s); report in %s%n",
                    report.run().cancelled() ? "cancelled: the report covers " : "",
                    report.tokens(),
                    seconds,
                    seconds > 0 ? report.tokens() / seconds : 0,
                    s.out().resolve("report.html"));
            return report;
        }
    }

    /**
     * Runs the corpus through an open model into a report (no files written; {@code s.out()} is ignored).
     * The model's directory supplies aux_loss_alpha. Stops between chunks when cancelled.
     */
    public DiagnosisReport diagnose(MoeModel model, Settings s, Progress progress) throws Exception {
        CorpusReader.checkFiles(s.corpus());
        ModelConfig cfg = model.config();
        int experts = cfg.routedExperts();
        PlacementAnalysis.Request placement = null;
        if (s.devices() != null) {
            placement = new PlacementAnalysis.Request(s.devices(), s.nodes(), s.replicas(), cfg.routingGroups());
            PlacementAnalysis.validate(experts, placement);
        }
        int lossDevices = s.devices() != null ? s.devices() : defaultDevices(experts, cfg.routingGroups());
        DiagnosisOptions options = new DiagnosisOptions(
                lossDevices,
                s.deviceLimit(),
                s.capacityFactors(),
                DiagnosisOptions.DEFAULT_WINDOWS,
                model.directory() == null ? Double.NaN : auxLossAlpha(model.directory()));
        RoutingAccumulator acc = new RoutingAccumulator(model.shape(), options);
        Tokenizer tok = model.tokenizer();
        int chunk = Math.min(s.chunk(), cfg.maxPositions());
        CorpusReader reader = new CorpusReader(
                tok == null ? null : text -> tok.encode(text, false), cfg.vocabSize(), chunk, cfg.bosTokenId());
        long totalBytes = 0;
        for (Path f : s.corpus()) {
            totalBytes += Files.size(f);
        }
        long all = totalBytes;
        Generator gen = new Generator(model);
        long limit = s.maxTokens() > 0 ? s.maxTokens() : Long.MAX_VALUE;
        long t0 = System.nanoTime();
        List<String> names = domainNames(s.corpus());
        boolean stopped = false;
        for (int i = 0; i < s.corpus().size() && !stopped; i++) {
            acc.setDomain(names.get(i));
            stopped = !reader.read(s.corpus().get(i), ids -> {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                long room = limit - acc.tokens();
                int[] part = room < ids.length ? java.util.Arrays.copyOf(ids, (int) room) : ids;
                gen.generate(GenerationRequest.of(part, 0, SamplingParams.GREEDY), acc, TokenListener.NONE, cancelled);
                progress.update(acc.tokens(), reader.bytesRead(), all);
                return acc.tokens() < limit && !cancelled.getAsBoolean();
            });
        }
        progress.update(acc.tokens(), reader.bytesRead(), all);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> warnings = new ArrayList<>(reader.warnings());
        if (reader.skippedLines() > 0) {
            warnings.add(reader.skippedLines() + " line(s) skipped because they were not valid UTF-8");
        }
        return ReportBuilder.build(
                acc,
                placement,
                new DiagnosisReport.RunInfo(
                        s.corpus().stream().map(Path::toString).toList(),
                        cancelled.getAsBoolean(),
                        seconds,
                        reader.skippedLines(),
                        warnings));
    }

    /** D for the device losses when --devices is not given: n_group if > 1, else the largest divisor of E ≤ 8. */
    static int defaultDevices(int experts, int nGroup) {
        if (nGroup > 1 && experts % nGroup == 0) {
            return nGroup;
        }
        return Divisors.of(experts).stream()
                .filter(d -> d <= 8)
                .reduce((a, b) -> b)
                .orElse(1);
    }

    /** aux_loss_alpha (DeepSeek) or router_aux_loss_coef (transformers families) from config.json, else NaN. */
    static double auxLossAlpha(Path modelDir) {
        try {
            JsonNode n =
                    new ObjectMapper().readTree(modelDir.resolve("config.json").toFile());
            for (String key : new String[] {"aux_loss_alpha", "router_aux_loss_coef"}) {
                if (n.path(key).isNumber()) {
                    return n.path(key).asDouble();
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** File names as domain names (full paths where two files share a name). */
    static List<String> domainNames(List<Path> files) {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            long same = files.stream()
                    .filter(g -> g.getFileName().toString().equals(n))
                    .count();
            names.add(same > 1 ? f.toString() : n);
        }
        return names;
    }
}
