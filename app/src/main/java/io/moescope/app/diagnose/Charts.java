package io.moescope.app.diagnose;

import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's PNG charts (headless java.awt), keyed by file name. */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static Map<String, BufferedImage> all(DiagnosisReport r) {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        List<String> layerNames = new ArrayList<>();
        List<String> expertNames = new ArrayList<>();
        for (int l : r.moeLayers()) {
            layerNames.add("L" + l);
        }
        for (int e = 0; e < r.routedExperts(); e++) {
            expertNames.add(Integer.toString(e));
        }
        double[][] share = r.layers().stream().map(l -> l.load().share()).toArray(double[][]::new);
        out.put("expert_load.png", Plot.heatmap("Load share per expert (row = MoE layer; uniform = "
                + String.format("%.3f", 1.0 / r.routedExperts()) + ")", share, layerNames, expertNames, "expert"));
        double[][] bal = {r.layers().stream().mapToDouble(l -> l.load().balancedness()).toArray(),
            r.layers().stream().mapToDouble(l -> l.load().cv()).toArray()};
        out.put("balance.png", Plot.bars("Per-layer expert balance (balancedness = mean/max, 1 is perfect)",
                layerNames, bal, List.of("balancedness", "CV"), 0));
        for (LayerReport l : r.layers()) {
            long[][] co = l.coactivation();
            double[][] m = new double[co.length][co.length];
            for (int i = 0; i < co.length; i++) {
                for (int j = 0; j < co.length; j++) {
                    m[i][j] = i == j ? 0 : co[i][j];
                }
            }
            out.put("coactivation_layer" + l.layer() + ".png", Plot.heatmap("Layer " + l.layer()
                    + ": tokens choosing both experts (diagonal blanked)", m, expertNames, expertNames, "expert"));
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
            out.put("domains.png", Plot.heatmap("Load share per domain (mean over layers)", d, names, expertNames,
                    "expert"));
        }
        if (r.placement() != null) {
            PlacementAnalysis.Result p = r.placement();
            List<double[]> series = new ArrayList<>();
            List<String> names = new ArrayList<>();
            series.add(p.contiguous().layers().stream().mapToDouble(x -> x.balancedness()).toArray());
            names.add("contiguous");
            series.add(p.eplb().layers().stream().mapToDouble(x -> x.balancedness()).toArray());
            names.add("EPLB " + p.eplb().policy());
            if (p.eplbGlobal() != null) {
                series.add(p.eplbGlobal().layers().stream().mapToDouble(x -> x.balancedness()).toArray());
                names.add("EPLB global");
            }
            out.put("placement.png", Plot.bars("GPU balancedness per layer (" + p.request().gpus() + " GPUs, "
                    + p.request().nodes() + " nodes, " + p.request().redundant() + " redundant experts)", layerNames,
                    series.toArray(double[][]::new), names, 0));
        }
        return out;
    }
}
