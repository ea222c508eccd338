package io.moescope.app.report;

import io.moescope.model.diagnosis.CapacityWhatIf;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.LossDefinition;
import io.moescope.model.diagnosis.PlacementAnalysis;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report's tables as CSV text, keyed by file name (columns: docs/diagnosis.md). */
final class CsvTables {

    private CsvTables() {}

    static Map<String, String> all(DiagnosisReport r) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("layers.csv", layers(r));
        StringBuilder load = new StringBuilder("layer,expert,count,share,mean_score\n");
        StringBuilder cap =
                new StringBuilder("layer,factor,dropped_slots,slots,dropped_fraction,affected_token_fraction\n");
        StringBuilder win = new StringBuilder("layer,window,tokens,max_mean,cv,balancedness\n");
        for (LayerReport l : r.layers()) {
            long[] c = l.load().counts();
            double[] share = l.load().share();
            for (int e = 0; e < c.length; e++) {
                load.append(l.layer())
                        .append(',')
                        .append(e)
                        .append(',')
                        .append(c[e])
                        .append(',')
                        .append(num(share[e]))
                        .append(',')
                        .append(num(l.meanScore()[e]))
                        .append('\n');
            }
            for (CapacityWhatIf.CapacityResult x : l.capacity()) {
                cap.append(l.layer())
                        .append(',')
                        .append(num(x.factor()))
                        .append(',')
                        .append(x.droppedSlots())
                        .append(',')
                        .append(x.slots())
                        .append(',')
                        .append(num(x.droppedFraction()))
                        .append(',')
                        .append(num(x.affectedFraction()))
                        .append('\n');
            }
            for (LayerReport.WindowStats w : l.windows()) {
                win.append(l.layer())
                        .append(',')
                        .append(w.window())
                        .append(',')
                        .append(w.tokens())
                        .append(',')
                        .append(num(w.maxMean()))
                        .append(',')
                        .append(num(w.cv()))
                        .append(',')
                        .append(num(w.balancedness()))
                        .append('\n');
            }
            out.put("coactivation_layer" + l.layer() + ".csv", matrix(l.coactivation()));
        }
        out.put("expert_load.csv", load.toString());
        out.put("capacity.csv", cap.toString());
        out.put("windows.csv", win.toString());
        if (!r.domains().isEmpty()) {
            StringBuilder d = new StringBuilder("domain,tokens,layer,expert,share\n");
            for (DiagnosisReport.DomainReport dom : r.domains()) {
                for (int l = 0; l < dom.share().length; l++) {
                    for (int e = 0; e < dom.share()[l].length; e++) {
                        d.append(quote(dom.name()))
                                .append(',')
                                .append(dom.tokens())
                                .append(',')
                                .append(r.moeLayers()[l])
                                .append(',')
                                .append(e)
                                .append(',')
                                .append(num(dom.share()[l][e]))
                                .append('\n');
                    }
                }
            }
            out.put("domains.csv", d.toString());
        }
        if (r.placement() != null) {
            StringBuilder p = new StringBuilder("policy,layer,gpu,load\n");
            PlacementAnalysis.Result pl = r.placement();
            for (PlacementAnalysis.PlacementSet set : Arrays.asList(pl.contiguous(), pl.eplb(), pl.eplbGlobal())) {
                if (set == null) {
                    continue;
                }
                double[][] loads = set.gpuLoads();
                for (int l = 0; l < loads.length; l++) {
                    for (int g = 0; g < loads[l].length; g++) {
                        p.append(
                                        set == pl.eplbGlobal()
                                                ? "eplb_global"
                                                : set == pl.eplb() ? "eplb:" + set.policy() : "contiguous")
                                .append(',')
                                .append(r.moeLayers()[l])
                                .append(',')
                                .append(g)
                                .append(',')
                                .append(num(loads[l][g]))
                                .append('\n');
                    }
                }
            }
            out.put("placement.csv", p.toString());
        }
        return out;
    }

    private static String layers(DiagnosisReport r) {
        StringBuilder sb = new StringBuilder("layer,tokens,max_mean,min_mean,cv,balancedness,max_vio,entropy,"
                + "score_entropy,gini,dead_experts,hot_experts");
        for (LossDefinition d : LossDefinition.values()) {
            sb.append(',').append(d.key());
        }
        sb.append('\n');
        for (LayerReport l : r.layers()) {
            var s = l.load();
            sb.append(l.layer())
                    .append(',')
                    .append(l.tokens())
                    .append(',')
                    .append(num(s.maxMean()))
                    .append(',')
                    .append(num(s.minMean()))
                    .append(',')
                    .append(num(s.cv()))
                    .append(',')
                    .append(num(s.balancedness()))
                    .append(',')
                    .append(num(s.maxVio()))
                    .append(',')
                    .append(num(s.loadEntropy()))
                    .append(',')
                    .append(num(l.scoreEntropy()))
                    .append(',')
                    .append(num(s.gini()))
                    .append(',')
                    .append(list(s.dead()))
                    .append(',')
                    .append(list(s.hot()));
            for (LossDefinition d : LossDefinition.values()) {
                sb.append(',').append(num(l.losses().get(d)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String matrix(long[][] m) {
        StringBuilder sb = new StringBuilder("expert");
        for (int j = 0; j < m.length; j++) {
            sb.append(',').append(j);
        }
        sb.append('\n');
        for (int i = 0; i < m.length; i++) {
            sb.append(i);
            for (long v : m[i]) {
                sb.append(',').append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String list(int[] v) {
        return "\"" + Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(" ")) + "\"";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
