package io.moescope.app.diagnosis;

import io.moescope.app.session.TraceStore;
import io.moescope.model.diagnosis.BalanceLosses;
import io.moescope.model.diagnosis.CapacityWhatIf;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.Divisors;
import io.moescope.model.diagnosis.Eplb;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.Placement;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/** The diagnosis tab's numbers, all from model.diagnosis: no window, no threads. */
public final class DiagnosisMath {

    private DiagnosisMath() {}

    /**
     * The report of a running accumulator so far, built from a {@link RoutingAccumulator#copy()} (the original
     * keeps running); null when it has seen no sequence.
     */
    public static DiagnosisReport diagnose(RoutingAccumulator live, String source) {
        if (live == null || live.shape() == null) {
            return null;
        }
        return ReportBuilder.build(live.copy(), null, DiagnosisReport.RunInfo.of(List.of(source)));
    }

    /** Diagnoses recorded routing events with the live options (one chunk per sequence); null without a sequence. */
    public static DiagnosisReport diagnose(List<TraceEvent> events, String source) {
        RoutingAccumulator acc = new RoutingAccumulator(null, TraceStore.liveOptions());
        events.forEach(acc::accept);
        return diagnose(acc, source);
    }

    /** DeepSeek device-level loss of one layer for D devices (contiguous split), from its counts and P_i. */
    public static double deviceLoss(LayerReport l, int topK, int devices) {
        if (devices < 1 || l.meanScore().length % devices != 0 || l.tokens() == 0) {
            return Double.NaN;
        }
        double[] scoreSum = l.meanScore().clone();
        for (int i = 0; i < scoreSum.length; i++) {
            scoreSum[i] *= l.tokens();
        }
        return BalanceLosses.deepseekDevice(l.load().counts(), scoreSum, l.tokens(), topK, devices);
    }

    /** Dropped-slot fraction of a layer at the capacity factor closest to {@code factor}. */
    public static double dropped(LayerReport l, double factor) {
        CapacityWhatIf.CapacityResult best = null;
        for (CapacityWhatIf.CapacityResult c : l.capacity()) {
            if (best == null || Math.abs(c.factor() - factor) < Math.abs(best.factor() - factor)) {
                best = c;
            }
        }
        return best == null ? Double.NaN : best.droppedFraction();
    }

    /** The capacity factors a report simulated, ascending as given. */
    public static List<Double> factors(DiagnosisReport r) {
        List<Double> out = new ArrayList<>();
        if (!r.layers().isEmpty()) {
            r.layers().get(0).capacity().forEach(c -> out.add(c.factor()));
        }
        return out;
    }

    /** GPU counts that split E experts evenly. */
    public static List<Integer> validGpus(int experts) {
        return Divisors.of(experts);
    }

    /** Node counts that split the GPUs evenly. */
    public static List<Integer> validNodes(int gpus) {
        return Divisors.of(gpus);
    }

    /** Redundant experts that keep E + R divisible by the GPUs: 0, G, 2G, … up to E. */
    public static List<Integer> validReplicas(int experts, int gpus) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r <= experts; r += gpus) {
            if ((experts + r) % gpus == 0) {
                out.add(r);
            }
        }
        return out;
    }

    /** Contiguous sharding and EPLB of one layer's loads. */
    public record PlacementPair(Placement contiguous, Placement eplb) {}

    /**
     * Places one layer; the request must be valid (see the valid* lists). EPLB keeps the model's routing groups
     * (n_group, 1 if none) whole on one node when the nodes divide them, else it runs the global policy.
     */
    public static PlacementPair place(LayerReport l, int gpus, int nodes, int replicas, int groups) {
        long[] c = l.load().counts();
        double[] w = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            w[i] = c[i];
        }
        return new PlacementPair(
                Placement.contiguous(w, gpus), Eplb.rebalance(w, w.length + replicas, groups, nodes, gpus));
    }
}
