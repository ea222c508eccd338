package io.moescope.app.report;

import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.Placement;
import io.moescope.model.diagnosis.PlacementAnalysis;

/** The domain and placement sections of report.html. */
final class HtmlSections {

    private HtmlSections() {}

    static void domains(StringBuilder h, DiagnosisReport r) {
        if (r.domains().size() < 2) {
            return;
        }
        h.append("<h2>Domains (one per corpus file)</h2><table><tr><th>domain<th>tokens");
        for (int l : r.moeLayers()) {
            h.append("<th>top experts L").append(l);
        }
        h.append("</tr>\n");
        for (DiagnosisReport.DomainReport d : r.domains()) {
            h.append("<tr>").append(HtmlReport.tdl(HtmlReport.esc(d.name()))).append(HtmlReport.td(d.tokens()));
            for (int l = 0; l < d.topExperts().length; l++) {
                StringBuilder cell = new StringBuilder();
                for (int e : d.topExperts()[l]) {
                    cell.append(e).append(String.format(" (%.1f%%) ", 100 * d.share()[l][e]));
                }
                h.append(HtmlReport.tdl(cell.toString()));
            }
            h.append("</tr>\n");
        }
        h.append("</table><p>Jensen–Shannon divergence of the expert loads between domains (bits, 0 = same "
                + "load, 1 = disjoint experts; mean over layers):</p><table><tr><th>");
        r.domains().forEach(d -> h.append("<th>").append(HtmlReport.esc(d.name())));
        h.append("</tr>\n");
        for (int a = 0; a < r.domains().size(); a++) {
            h.append("<tr>")
                    .append(HtmlReport.tdl(HtmlReport.esc(r.domains().get(a).name())));
            for (double v : r.domainDivergence()[a]) {
                h.append(HtmlReport.td(v));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    static void placement(StringBuilder h, DiagnosisReport r) {
        PlacementAnalysis.Result p = r.placement();
        if (p == null) {
            return;
        }
        PlacementAnalysis.Request q = p.request();
        h.append("<h2>Expert placement: ")
                .append(q.gpus())
                .append(" GPUs on ")
                .append(q.nodes())
                .append(" node(s), ")
                .append(q.redundant())
                .append(" redundant experts</h2><p>GPU load = Σ of the observed load of the "
                        + "expert copies it holds, each copy taking load/copies (EPLB's model). Balancedness = mean/max "
                        + "GPU load, averaged over layers (SGLang); ratio of sums = Σ mean / Σ max (vLLM).</p>")
                .append("<p>EPLB policy: <b>")
                .append(p.choice().policy())
                .append("</b>")
                .append(p.choice().groups() > 1 ? ", " + p.choice().groups() + " expert groups" : "")
                .append(" — ")
                .append(HtmlReport.esc(p.choice().reason()))
                .append(".</p>")
                .append("<table><tr><th>placement<th>balancedness<th>ratio of sums");
        for (int l : r.moeLayers()) {
            h.append("<th>L").append(l).append(" max/mean");
        }
        h.append("</tr>\n");
        row(h, "contiguous (E/P consecutive experts per GPU)", p.contiguous());
        row(
                h,
                "DeepSeek EPLB, " + p.eplb().policy() + " policy"
                        + (p.choice().groups() > 1
                                ? " (" + p.choice().groups() + " groups → " + q.nodes() + " nodes)"
                                : ""),
                p.eplb());
        if (p.eplbGlobal() != null) {
            row(h, "DeepSeek EPLB, global policy", p.eplbGlobal());
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String name, PlacementAnalysis.PlacementSet s) {
        h.append("<tr>")
                .append(HtmlReport.tdl(name))
                .append(HtmlReport.td(s.balancedness()))
                .append(HtmlReport.td(s.ratioOfSums()));
        for (Placement pl : s.layers()) {
            h.append(HtmlReport.td(1 / pl.balancedness()));
        }
        h.append("</tr>\n");
    }
}
