package io.moescope.app.report;

import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceEvent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Diagnoses a saved JSONL routing trace without a model: each traced sequence is one chunk. The expert groups for
 * EPLB come from the trace header ({@code expert_groups}; 1 in traces written before the field existed).
 */
public final class TraceDiagnosis {

    private TraceDiagnosis() {}

    /** @param s {@code maxTokens} &gt; 0 stops after that many routed tokens (the last sequence is cut) */
    public static DiagnosisReport run(Path trace, DiagnoseRunner.Settings s, PrintStream err) throws Exception {
        ReportFiles.checkOut(s.out(), s.force());
        if (!Files.isRegularFile(trace)) {
            throw new IllegalArgumentException(trace + ": trace file not found");
        }
        ModelShape[] first = new ModelShape[1];
        JsonlTraceReader.readWhile(trace, e -> {
            if (e instanceof SequenceStarted st) {
                first[0] = st.shape();
                return false;
            }
            return true;
        });
        ModelShape shape = first[0];
        if (shape == null) {
            throw new IllegalArgumentException(trace + ": the trace holds no sequence");
        }
        PlacementAnalysis.Request placement = placement(shape, s);
        RoutingAccumulator acc = accumulator(shape, s);
        long limit = s.maxTokens() > 0 ? s.maxTokens() : Long.MAX_VALUE;
        long t0 = System.nanoTime();
        boolean whole = JsonlTraceReader.readWhile(trace, e -> {
            if (acc.tokens() >= limit && startsToken(e, acc)) {
                return false;
            }
            try {
                acc.accept(e);
            } catch (IllegalArgumentException contradiction) { // a record that contradicts the header's shape
                throw new IllegalArgumentException(trace + ": " + contradiction.getMessage(), contradiction);
            }
            return true;
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        DiagnosisReport report = ReportBuilder.build(
                acc, placement, new DiagnosisReport.RunInfo(List.of(trace.toString()), false, seconds, 0, List.of()));
        ReportFiles.write(report, s.out(), s.force());
        err.printf(
                "%,d traced tokens%s; report in %s%n",
                report.tokens(),
                whole ? "" : " (stopped at --max-tokens " + s.maxTokens() + ")",
                s.out().resolve("report.html"));
        return report;
    }

    /** The EPLB what-if of --devices/--nodes/--replicas for a trace's (or a recording's) shape, or null. */
    static PlacementAnalysis.Request placement(ModelShape shape, DiagnoseRunner.Settings s) {
        if (s.devices() == null) {
            return null;
        }
        PlacementAnalysis.Request placement =
                new PlacementAnalysis.Request(s.devices(), s.nodes(), s.replicas(), shape.expertGroups());
        PlacementAnalysis.validate(shape.routedExperts(), placement);
        return placement;
    }

    /** The accumulator with the settings' device-level losses (no model: no aux-loss alpha). */
    static RoutingAccumulator accumulator(ModelShape shape, DiagnoseRunner.Settings s) {
        int lossDevices = s.devices() != null
                ? s.devices()
                : DiagnoseRunner.defaultDevices(shape.routedExperts(), shape.expertGroups());
        return new RoutingAccumulator(
                shape,
                new DiagnosisOptions(
                        lossDevices,
                        s.deviceLimit(),
                        s.capacityFactors(),
                        DiagnosisOptions.DEFAULT_WINDOWS,
                        Double.NaN));
    }

    /** True for the first event of a new token: its first MoE layer's routing, or a new sequence. */
    private static boolean startsToken(TraceEvent e, RoutingAccumulator acc) {
        return e instanceof SequenceStarted
                || e instanceof RoutingDecision d && acc.shape().moeIndex(d.layer()) == 0;
    }
}
