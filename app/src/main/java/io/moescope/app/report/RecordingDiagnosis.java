package io.moescope.app.report;

import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LoadStats;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.recording.ImportProgress;
import io.moescope.model.recording.LoadWindows;
import io.moescope.model.recording.RecordingImporter;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.TraceSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Diagnoses routing recorded by a serving engine (any format {@link RecordingImporter} reads) straight from the
 * files, with no trace written in between: the same accumulator and report as {@link TraceDiagnosis}, each imported
 * sequence one chunk, the shape (dense layers, E, top-k, expert groups) from the recorded model's config.json (or,
 * without one, from an Atlas recording itself).
 */
public final class RecordingDiagnosis {

    /** At most this many windows in the printed table (more are merged in neighbouring pairs). */
    static final int PRINTED_WINDOWS = 32;

    private RecordingDiagnosis() {}

    /** As below, with the per-window table on {@code err} too. */
    public static DiagnosisReport run(List<Path> files, Path modelConfig, DiagnoseRunner.Settings s, PrintStream err)
            throws Exception {
        return run(files, modelConfig, s, err, err);
    }

    /** Diagnoses; progress and the summary go to {@code err}, the per-window balance table to {@code out}. */
    public static DiagnosisReport run(
            List<Path> files, Path modelConfig, DiagnoseRunner.Settings s, PrintStream err, PrintStream out)
            throws Exception {
        if (s.maxTokens() > 0) {
            throw new IllegalArgumentException("--max-tokens applies to --corpus and --trace, not to --recording");
        }
        ReportFiles.checkOut(s.out(), s.force());
        ModelShape shape = RecordingShape.read(modelConfig, files);
        PlacementAnalysis.Request placement = TraceDiagnosis.placement(shape, s);
        RoutingAccumulator acc = TraceDiagnosis.accumulator(shape, s);
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(err, 1_000_000, 0);
        LoadWindows windows = new LoadWindows(PRINTED_WINDOWS, LoadWindows.DEFAULT_CELLS);
        RecordingImporter.Summary summary = new RecordingImporter(shape, PickleLimits.DEFAULT)
                .run(files, TraceSink.fanOut(List.of(acc, windows)), new ImportProgress() {
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
        printWindows(windows, out);
        return report;
    }

    /**
     * The per-window balance, when the recording has several count windows (SGLang stat dumps written during one
     * run, the passes of a per_pass dump): tokens, mean max/mean over the MoE layers and the worst layer.
     */
    static void printWindows(LoadWindows w, PrintStream out) {
        if (w.windows() < 2) {
            return;
        }
        ModelShape shape = w.shape();
        out.printf(
                "load over %d windows (count sequences in import order%s):%n",
                w.recorded(), w.windows() < w.recorded() ? "; merged to " + w.windows() + " rows" : "");
        out.println("window  recorded    tokens  mean max/mean  worst layer  max/mean   CV  dead");
        for (int k = 0; k < w.windows(); k++) {
            double sum = 0;
            for (int i = 0; i < shape.moeLayerCount(); i++) {
                sum += w.stats(k, i).maxMean();
            }
            int worst = w.worstLayer(k);
            LoadStats s = w.stats(k, worst);
            int first = w.firstRecorded(k);
            String recorded = w.coveredBy(k) == 1 ? String.valueOf(first) : first + "-" + (first + w.coveredBy(k) - 1);
            out.printf(
                    Locale.ROOT,
                    "%6d  %8s  %8d  %13.2f  %11d  %8.2f  %4.2f  %4d%n",
                    k,
                    recorded,
                    w.tokens(k),
                    sum / shape.moeLayerCount(),
                    shape.moeLayers()[worst],
                    s.maxMean(),
                    s.cv(),
                    s.dead().length);
        }
    }
}
