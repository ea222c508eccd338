package io.moescope.model.diagnosis;

import io.moescope.model.trace.ModelShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns what a {@link RoutingAccumulator} gathered into a {@link DiagnosisReport}. */
public final class ReportBuilder {

    private ReportBuilder() {}

    /** @param placement null to skip the placement what-if */
    public static DiagnosisReport build(
            RoutingAccumulator acc, PlacementAnalysis.Request placement, DiagnosisReport.RunInfo run) {
        ModelShape shape = acc.shape();
        if (shape == null) {
            throw new IllegalArgumentException("nothing was routed: the input held no sequence");
        }
        List<LayerReport> layers = acc.layerReports();
        int e = shape.routedExperts();
        long[] total = new long[e];
        List<long[]> perLayer = new ArrayList<>();
        for (LayerReport l : layers) {
            long[] c = l.load().counts();
            perLayer.add(c);
            for (int i = 0; i < e; i++) {
                total[i] += c[i];
            }
        }
        DiagnosisReport.Overall overall = new DiagnosisReport.Overall(
                BalanceMetrics.of(total),
                layers.stream()
                        .mapToDouble(l -> l.load().balancedness())
                        .average()
                        .orElse(1),
                layers.stream()
                        .mapToDouble(LayerReport::scoreEntropy)
                        .filter(d -> !Double.isNaN(d))
                        .average()
                        .orElse(Double.NaN),
                LossValues.mean(layers.stream().map(LayerReport::losses).toList()));
        List<DiagnosisReport.DomainReport> domains = domains(acc);
        return new DiagnosisReport(
                shape.modelType(),
                e,
                shape.topK(),
                shape.sharedExperts(),
                shape.describeAlwaysOn(),
                shape.expertGroups(),
                shape.moeLayers(),
                acc.tokens(),
                acc.sequences(),
                acc.options(),
                layers,
                overall,
                domains,
                divergence(acc.domainCounts()),
                placement == null ? null : PlacementAnalysis.analyse(perLayer, placement),
                run);
    }

    private static List<DiagnosisReport.DomainReport> domains(RoutingAccumulator acc) {
        List<DiagnosisReport.DomainReport> out = new ArrayList<>();
        Map<String, Long> tokens = acc.domainTokens();
        acc.domainCounts().forEach((name, counts) -> {
            double[][] share = new double[counts.length][];
            int[][] top = new int[counts.length][];
            for (int l = 0; l < counts.length; l++) {
                share[l] = BalanceMetrics.of(counts[l]).share();
                top[l] = topIndices(share[l], Math.min(3, share[l].length));
            }
            out.add(new DiagnosisReport.DomainReport(name, tokens.get(name), share, top));
        });
        return out;
    }

    /** Mean over layers of the Jensen–Shannon divergence between every pair of domains. */
    static double[][] divergence(Map<String, long[][]> counts) {
        List<long[][]> d = new ArrayList<>(counts.values());
        double[][] js = new double[d.size()][d.size()];
        for (int a = 0; a < d.size(); a++) {
            for (int b = a + 1; b < d.size(); b++) {
                double sum = 0;
                int n = 0;
                for (int l = 0; l < d.get(a).length; l++) {
                    double v = BalanceMetrics.jensenShannon(
                            BalanceMetrics.toDoubles(d.get(a)[l]), BalanceMetrics.toDoubles(d.get(b)[l]));
                    if (!Double.isNaN(v)) {
                        sum += v;
                        n++;
                    }
                }
                js[a][b] = n == 0 ? Double.NaN : sum / n;
                js[b][a] = js[a][b];
            }
        }
        return js;
    }

    static int[] topIndices(double[] v, int n) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> v[a] != v[b] ? Double.compare(v[b], v[a]) : Integer.compare(a, b));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
