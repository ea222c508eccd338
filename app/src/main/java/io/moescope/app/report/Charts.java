package io.moescope.app.report;

import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.viz.color.ColorScale;
import io.moescope.viz.color.Palettes;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledBars;
import io.moescope.viz.data.TitledHeatmap;
import io.moescope.viz.export.SvgExport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts as SVG text, keyed by file name, drawn by viz's {@link SvgExport} (pure Java, no toolkit):
 * this class only turns report numbers into viz snapshots.
 */
final class Charts {

    private static final ColorScale SCALE = Palettes.viridis();

    private Charts() {}

    static Map<String, String> all(DiagnosisReport r) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> layerNames = new ArrayList<>();
        List<String> expertNames = new ArrayList<>();
        for (int l : r.moeLayers()) {
            layerNames.add("L" + l);
        }
        for (int e = 0; e < r.routedExperts(); e++) {
            expertNames.add(Integer.toString(e));
        }
        double[][] share = r.layers().stream().map(l -> l.load().share()).toArray(double[][]::new);
        out.put(
                "expert_load.svg",
                heatmap(
                        String.format(
                                Locale.ROOT,
                                "Load share per expert (row = MoE layer; " + "uniform = %.3f)",
                                1.0 / r.routedExperts()),
                        share,
                        layerNames,
                        expertNames));
        out.put(
                "balance.svg",
                bars(
                        layerNames,
                        List.of(
                                new Series(
                                        "Per-layer balancedness (mean/max, 1 is perfect)",
                                        r.layers().stream()
                                                .mapToDouble(l -> l.load().balancedness())
                                                .toArray()),
                                new Series(
                                        "Per-layer coefficient of variation (0 is perfect)",
                                        r.layers().stream()
                                                .mapToDouble(l -> l.load().cv())
                                                .toArray()))));
        for (LayerReport l : r.layers()) {
            long[][] co = l.coactivation();
            double[][] m = new double[co.length][co.length];
            for (int i = 0; i < co.length; i++) {
                for (int j = 0; j < co.length; j++) {
                    m[i][j] = i == j ? 0 : co[i][j];
                }
            }
            out.put(
                    "coactivation_layer" + l.layer() + ".svg",
                    heatmap(
                            "Layer " + l.layer() + ": tokens choosing both experts (diagonal blanked)",
                            m,
                            expertNames,
                            expertNames));
        }
        if (r.domains().size() > 1) {
            List<String> names = new ArrayList<>();
            double[][] d = new double[r.domains().size()][];
            for (int i = 0; i < d.length; i++) {
                DiagnosisReport.DomainReport dom = r.domains().get(i);
                names.add(dom.name());
                d[i] = new double[r.routedExperts()];
                for (double[] layer : dom.share()) {
                    for (int e = 0; e < layer.length; e++) {
                        d[i][e] += layer[e] / dom.share().length;
                    }
                }
            }
            out.put("domains.svg", heatmap("Load share per domain (mean over layers)", d, names, expertNames));
        }
        if (r.placement() != null) {
            PlacementAnalysis.Result p = r.placement();
            String setup = " (" + p.request().gpus() + " GPUs, " + p.request().nodes() + " nodes, "
                    + p.request().redundant() + " redundant experts)";
            List<Series> series = new ArrayList<>();
            series.add(new Series(
                    "GPU balancedness per layer, contiguous" + setup,
                    p.contiguous().layers().stream()
                            .mapToDouble(x -> x.balancedness())
                            .toArray()));
            series.add(new Series(
                    "GPU balancedness per layer, EPLB " + p.eplb().policy() + setup,
                    p.eplb().layers().stream()
                            .mapToDouble(x -> x.balancedness())
                            .toArray()));
            if (p.eplbGlobal() != null) {
                series.add(new Series(
                        "GPU balancedness per layer, EPLB global" + setup,
                        p.eplbGlobal().layers().stream()
                                .mapToDouble(x -> x.balancedness())
                                .toArray()));
            }
            out.put("placement.svg", bars(layerNames, series));
        }
        return out;
    }

    private record Series(String title, double[] values) {}

    /** A titled grid, scaled from 0 to its largest value. */
    static String heatmap(String title, double[][] v, List<String> rows, List<String> cols) {
        float[] values = new float[rows.size() * cols.size()];
        float max = 0;
        for (int r = 0; r < v.length; r++) {
            for (int c = 0; c < v[r].length; c++) {
                values[r * cols.size() + c] = (float) v[r][c];
                max = Math.max(max, values[r * cols.size() + c]);
            }
        }
        HeatmapSnapshot grid =
                HeatmapSnapshot.of(rows.size(), cols.size(), values, rows, cols).withRange(0, max > 0 ? max : 1);
        return SvgExport.stacked(List.of(new TitledHeatmap(title, grid)), SCALE);
    }

    /** One bar chart per series, stacked, the busiest bar of each highlighted. */
    private static String bars(List<String> labels, List<Series> series) {
        List<TitledBars> charts = new ArrayList<>();
        for (Series s : series) {
            float[] values = new float[s.values().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.isFinite(s.values()[i]) ? (float) Math.max(0, s.values()[i]) : 0f;
            }
            charts.add(new TitledBars(s.title(), BarsSnapshot.of(values, labels)));
        }
        return SvgExport.stackedBars(charts, SvgExport.BAR_RGB, SvgExport.HIGHLIGHT_RGB);
    }
}
