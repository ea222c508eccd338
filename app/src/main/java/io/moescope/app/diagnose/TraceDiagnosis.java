package io.moescope.app.diagnose;

import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.SequenceStarted;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Diagnoses a saved JSONL routing trace without a model: each traced sequence is one chunk. */
public final class TraceDiagnosis {

    private TraceDiagnosis() {
    }

    /** Stops reading at the first header. */
    private static final class Found extends RuntimeException {
        final transient ModelShape shape;

        Found(ModelShape shape) {
            super(null, null, false, false);
            this.shape = shape;
        }
    }

    public static DiagnosisReport run(Path trace, DiagnoseRunner.Settings s, PrintStream err) throws Exception {
        ReportFiles.checkOut(s.out(), s.force());
        if (!Files.isRegularFile(trace)) {
            throw new IllegalArgumentException(trace + ": trace file not found");
        }
        ModelShape shape = null;
        try {
            JsonlTraceReader.read(trace, e -> {
                if (e instanceof SequenceStarted st) {
                    throw new Found(st.shape());
                }
            });
        } catch (Found f) {
            shape = f.shape;
        }
        if (shape == null) {
            throw new IllegalArgumentException(trace + ": the trace holds no sequence");
        }
        int experts = shape.routedExperts();
        PlacementAnalysis.Request placement = null;
        if (s.devices() != null) {
            placement = new PlacementAnalysis.Request(s.devices(), s.nodes(), s.replicas(), 1);
            PlacementAnalysis.validate(experts, placement);
        }
        int lossDevices = s.devices() != null ? s.devices() : DiagnoseRunner.defaultDevices(experts, 1);
        RoutingAccumulator acc = new RoutingAccumulator(shape, new DiagnosisOptions(lossDevices, s.deviceLimit(),
                s.capacityFactors(), DiagnosisOptions.DEFAULT_WINDOWS, Double.NaN));
        long t0 = System.nanoTime();
        JsonlTraceReader.read(trace, acc::accept);
        double seconds = (System.nanoTime() - t0) / 1e9;
        DiagnosisReport report = ReportBuilder.build(acc, placement,
                new DiagnosisReport.RunInfo(List.of(trace.toString()), false, seconds, 0, List.of()));
        ReportFiles.write(report, s.out(), s.force());
        err.printf("%,d traced tokens; report in %s%n", report.tokens(), s.out().resolve("report.html"));
        return report;
    }
}
