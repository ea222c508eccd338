package io.moescope.app.report;

import io.moescope.model.diagnosis.CapacityWhatIf;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.LoadStats;
import io.moescope.model.diagnosis.LossDefinition;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A self-contained report.html: tables, each loss with its formula and convention, charts inlined as SVG. */
final class HtmlReport {

    private HtmlReport() {}

    static String render(DiagnosisReport r, Map<String, String> svg) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>MoE Scope "
                + "diagnosis</title><style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:"
                + "collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;font-size:13px}"
                + "th{background:#f0f0f5}td.l{text-align:left}.warn{background:#fff3cd;padding:.5em}code{background:"
                + "#f4f4f4}</style></head><body>\n");
        h.append("<h1>Load-balance diagnosis</h1>\n<p>Model <b>")
                .append(esc(r.modelType()))
                .append("</b>: ")
                .append(r.routedExperts())
                .append(" routed experts, top-")
                .append(r.topK())
                .append(", ")
                .append("MoE layers ")
                .append(Arrays.toString(r.moeLayers()))
                .append("; always on: ")
                .append(esc(r.alwaysOn()))
                .append(".<br>")
                .append(String.format(
                        Locale.ROOT,
                        "%,d tokens in %,d chunks, %.1f s",
                        r.tokens(),
                        r.sequences(),
                        r.run().seconds()))
                .append(". Sources: ")
                .append(esc(String.join(", ", r.run().sources())))
                .append("</p>\n");
        if (r.run().cancelled()) {
            h.append("<p class=warn>The run was cancelled: this report covers the tokens processed until then.</p>");
        }
        for (String w : r.run().warnings()) {
            h.append("<p class=warn>").append(esc(w)).append("</p>\n");
        }
        LoadStats o = r.overall().load();
        h.append(
                "<h2>Overall (counts summed over layers)</h2><table><tr><th>max/mean<th>min/mean<th>CV"
                        + "<th>balancedness<th>mean layer balancedness<th>load entropy<th>score entropy<th>Gini<th>dead<th>hot</tr>");
        h.append("<tr>")
                .append(td(o.maxMean()))
                .append(td(o.minMean()))
                .append(td(o.cv()))
                .append(td(o.balancedness()))
                .append(td(r.overall().meanLayerBalancedness()))
                .append(td(o.loadEntropy()))
                .append(td(r.overall().scoreEntropy()))
                .append(td(o.gini()))
                .append(tdl(ints(o.dead())))
                .append(tdl(ints(o.hot())))
                .append("</tr></table>\n");
        h.append("<h2>Per layer</h2><table><tr><th>layer<th>tokens<th>max/mean<th>min/mean<th>CV<th>balancedness"
                + "<th>MaxVio<th>load entropy<th>score entropy<th>Gini<th>dead experts<th>hot experts</tr>\n");
        for (LayerReport l : r.layers()) {
            LoadStats s = l.load();
            h.append("<tr>")
                    .append(tdl(Integer.toString(l.layer())))
                    .append(td(l.tokens()))
                    .append(td(s.maxMean()))
                    .append(td(s.minMean()))
                    .append(td(s.cv()))
                    .append(td(s.balancedness()))
                    .append(td(s.maxVio()))
                    .append(td(s.loadEntropy()))
                    .append(td(l.scoreEntropy()))
                    .append(td(s.gini()))
                    .append(tdl(ints(s.dead())))
                    .append(tdl(ints(s.hot())))
                    .append("</tr>\n");
        }
        h.append("</table><p>balancedness = mean/max (as SGLang/vLLM log it); entropies are divided by ln E; "
                + "hot = at least twice the mean load.</p>\n");
        img(h, svg, "expert_load.svg");
        img(h, svg, "balance.svg");
        losses(h, r);
        whatIfs(h, r);
        h.append("<h2>Rolling windows (last tokens)</h2><table><tr><th>layer");
        for (int w : r.options().windows()) {
            h.append("<th>balancedness last ").append(w);
        }
        h.append("</tr>\n");
        for (LayerReport l : r.layers()) {
            h.append("<tr>").append(tdl(Integer.toString(l.layer())));
            l.windows().forEach(w -> h.append(td(w.balancedness())));
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Co-activation</h2><p>How often two experts are chosen for the same token "
                + "(coactivation_layerN.csv holds the numbers; its diagonal is the expert's own count).</p>\n");
        svg.keySet().stream().filter(k -> k.startsWith("coactivation")).forEach(k -> img(h, svg, k));
        HtmlSections.domains(h, r);
        HtmlSections.placement(h, r);
        svg.keySet().stream()
                .filter(k -> k.equals("domains.svg") || k.equals("placement.svg"))
                .forEach(k -> img(h, svg, k));
        return h.append("</body></html>\n").toString();
    }

    private static void losses(StringBuilder h, DiagnosisReport r) {
        h.append(
                        "<h2>Balance losses on the observed routing (α = 1)</h2><p>T tokens of a layer, E routed experts, "
                                + "k per token, c<sub>i</sub> assignments of expert i, P<sub>i</sub> = mean score of expert i. D = ")
                .append(r.options().lossDevices())
                .append(" devices (experts split contiguously), M = ")
                .append(r.options().deviceLimit())
                .append(".</p><table><tr><th>loss<th>formula<th>convention<th>mean");
        for (int l : r.moeLayers()) {
            h.append("<th>L").append(l);
        }
        h.append("</tr>\n");
        for (LossDefinition d : LossDefinition.values()) {
            h.append("<tr>")
                    .append(tdl(esc(d.title()) + " <code>" + d.key() + "</code>"))
                    .append(tdl("<code>" + esc(d.formula()) + "</code>"))
                    .append(tdl(esc(d.convention())))
                    .append(td(r.overall().losses().get(d)));
            r.layers().forEach(l -> h.append(td(l.losses().get(d))));
            h.append("</tr>\n");
        }
        h.append("<tr>")
                .append(tdl("DeepSeekMoE expert-level × config α <code>deepseek_expert_alpha</code>"))
                .append(tdl("α₁ · deepseek_expert"))
                .append(tdl("α₁ = aux_loss_alpha / router_aux_loss_coef = "
                        + CsvTables.num(r.options().auxLossAlpha())))
                .append(td(r.overall().losses().deepseekExpertAlpha()));
        r.layers().forEach(l -> h.append(td(l.losses().deepseekExpertAlpha())));
        h.append("</tr></table>\n");
    }

    private static void whatIfs(StringBuilder h, DiagnosisReport r) {
        h.append("<h2>What-if: capacity factor</h2><p>capacity = ⌈C·T·k/E⌉ token-slots per expert per chunk; slots "
                + "beyond it, in arrival order, are dropped. Cells: dropped slots % / tokens with a dropped slot %.</p>"
                + "<table><tr><th>layer");
        Arrays.stream(r.options().capacityFactors())
                .forEach(c -> h.append("<th>C = ").append(CsvTables.num(c)));
        h.append("</tr>\n");
        for (LayerReport l : r.layers()) {
            h.append("<tr>").append(tdl(Integer.toString(l.layer())));
            for (CapacityWhatIf.CapacityResult c : l.capacity()) {
                h.append(tdl(String.format(
                        Locale.ROOT, "%.2f%% / %.2f%%", 100 * c.droppedFraction(), 100 * c.affectedFraction())));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>What-if: device-limited routing and selection bias</h2><table><tr><th>layer"
                + "<th>devices reached per token<th>tokens changed by top-M devices<th>selections changed"
                + "<th>tokens changed by the bias<th>selections changed by the bias</tr>\n");
        for (LayerReport l : r.layers()) {
            h.append("<tr>").append(tdl(Integer.toString(l.layer())));
            if (l.deviceLimited() != null) {
                h.append(td(l.deviceLimited().meanDevicesPerToken()))
                        .append(pct(l.deviceLimited().changedTokenFraction()))
                        .append(pct(l.deviceLimited().changedSelectionFraction()));
            } else {
                h.append("<td>–<td>–<td>–");
            }
            if (l.bias() != null) {
                h.append(pct(l.bias().changedTokenFraction()))
                        .append(pct(l.bias().changedSelectionFraction()));
            } else {
                h.append("<td>no bias<td>–");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** Inlines a chart's SVG (without its XML declaration) in a figure captioned with its file name. */
    static void img(StringBuilder h, Map<String, String> svg, String name) {
        String chart = svg.get(name);
        if (chart != null) {
            int start = chart.startsWith("<?xml") ? chart.indexOf("?>") + 2 : 0;
            h.append("<figure>")
                    .append(chart.substring(start).strip())
                    .append("<figcaption>")
                    .append(name)
                    .append("</figcaption></figure>\n");
        }
    }

    static String td(double v) {
        return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "–");
    }

    static String td(long v) {
        return "<td>" + String.format(Locale.ROOT, "%,d", v);
    }

    static String tdl(String html) {
        return "<td class=l>" + html;
    }

    static String pct(double v) {
        return "<td>" + String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String ints(int[] v) {
        return v.length == 0
                ? "–"
                : Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
