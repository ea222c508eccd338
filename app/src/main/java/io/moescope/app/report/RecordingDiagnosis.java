package io.moescope.app.report;

import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.recording.ImportProgress;
import io.moescope.model.recording.RecordingImporter;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Diagnoses routing recorded by a serving engine (any format {@link RecordingImporter} reads) straight from the
 * files, with no trace written in between: the same accumulator and report as {@link TraceDiagnosis}, each imported
 * sequence one chunk, the shape (dense layers, E, top-k, expert groups) from the recorded model's config.json.
 */
public final class RecordingDiagnosis {

    private RecordingDiagnosis() {}

    public static DiagnosisReport run(List<Path> files, Path modelConfig, DiagnoseRunner.Settings s, PrintStream err)
            throws Exception {
        if (s.maxTokens() > 0) {
            throw new IllegalArgumentException("--max-tokens applies to --corpus and --trace, not to --recording");
        }
        ReportFiles.checkOut(s.out(), s.force());
        ModelShape shape = RecordingShape.read(modelConfig);
        PlacementAnalysis.Request placement = TraceDiagnosis.placement(shape, s);
        RoutingAccumulator acc = TraceDiagnosis.accumulator(shape, s);
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(err, 1_000_000, 0);
        RecordingImporter.Summary summary = new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(files, acc, new ImportProgress() {
                    @Override
                    public void update(double fraction, long tokens) {
                        bar.update(tokens, Math.round(fraction * 1_000_000), false);
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        bar.finish(acc.tokens(), 1_000_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        DiagnosisReport report = ReportBuilder.build(
                acc,
                placement,
                new DiagnosisReport.RunInfo(files.stream().map(Path::toString).toList(), false, seconds, 0, List.of()));
        ReportFiles.write(report, s.out(), s.force());
        summary.formats().forEach(f -> err.println("read " + f));
        err.printf(
                "%,d recorded tokens (%d sequences, %d of counts only; recordings carry no router scores: "
                        + "score-based results are NaN); report in %s%n",
                report.tokens(),
                summary.sequences(),
                summary.countSequences(),
                s.out().resolve("report.html"));
        return report;
    }
}
