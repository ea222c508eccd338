package io.moescope.model.diagnosis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link DiagnosisReport} as report.json (format: docs/diagnosis.md). NaN is written as null. */
public final class DiagnosisJson {

    public static final String FORMAT = "moescope-diagnosis";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiagnosisJson() {}

    public static void write(DiagnosisReport r, OutputStream out) throws IOException {
        JSON.writeValue(out, toTree(r));
    }

    public static ObjectNode toTree(DiagnosisReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT)
                .put("version", VERSION)
                .put("model_type", r.modelType())
                .put("routed_experts", r.routedExperts())
                .put("top_k", r.topK())
                .put("shared_experts", r.sharedExperts())
                .put("always_on", r.alwaysOn())
                .put("expert_groups", r.expertGroups())
                .put("tokens", r.tokens())
                .put("sequences", r.sequences());
        ints(root.putArray("moe_layers"), r.moeLayers());
        DiagnosisOptions o = r.options();
        ObjectNode opt =
                root.putObject("options").put("loss_devices", o.lossDevices()).put("device_limit", o.deviceLimit());
        num(opt, "aux_loss_alpha", o.auxLossAlpha());
        doubles(opt.putArray("capacity_factors"), o.capacityFactors());
        ints(opt.putArray("windows"), o.windows());
        DiagnosisReport.RunInfo run = r.run();
        ObjectNode rn =
                root.putObject("run").put("cancelled", run.cancelled()).put("skipped_lines", run.skippedLines());
        num(rn, "seconds", run.seconds());
        num(rn, "tokens_per_second", run.seconds() > 0 ? r.tokens() / run.seconds() : Double.NaN);
        run.sources().forEach(rn.putArray("sources")::add);
        run.warnings().forEach(rn.putArray("warnings")::add);
        DiagnosisReport.Overall ov = r.overall();
        ObjectNode overall = load(root.putObject("overall"), ov.load());
        num(overall, "mean_layer_balancedness", ov.meanLayerBalancedness());
        num(overall, "score_entropy", ov.scoreEntropy());
        losses(overall.putObject("losses"), ov.losses());
        ArrayNode layers = root.putArray("layers");
        for (LayerReport l : r.layers()) {
            layer(layers.addObject(), l);
        }
        ArrayNode domains = root.putArray("domains");
        for (DiagnosisReport.DomainReport d : r.domains()) {
            ObjectNode dn = domains.addObject().put("name", d.name()).put("tokens", d.tokens());
            ArrayNode share = dn.putArray("share");
            for (double[] row : d.share()) {
                doubles(share.addArray(), row);
            }
            ArrayNode top = dn.putArray("top_experts");
            for (int[] row : d.topExperts()) {
                ints(top.addArray(), row);
            }
        }
        ArrayNode js = root.putArray("domain_divergence");
        for (double[] row : r.domainDivergence()) {
            doubles(js.addArray(), row);
        }
        if (r.placement() != null) {
            placement(root.putObject("placement"), r.placement());
        }
        return root;
    }

    private static void layer(ObjectNode n, LayerReport l) {
        n.put("layer", l.layer()).put("tokens", l.tokens());
        load(n, l.load());
        num(n, "score_entropy", l.scoreEntropy());
        doubles(n.putArray("mean_score"), l.meanScore());
        losses(n.putObject("losses"), l.losses());
        ArrayNode w = n.putArray("windows");
        for (LayerReport.WindowStats s : l.windows()) {
            ObjectNode wn = w.addObject().put("window", s.window()).put("tokens", s.tokens());
            num(wn, "max_mean", s.maxMean());
            num(wn, "cv", s.cv());
            num(wn, "balancedness", s.balancedness());
        }
        ArrayNode cap = n.putArray("capacity");
        for (CapacityWhatIf.CapacityResult c : l.capacity()) {
            ObjectNode cn = cap.addObject()
                    .put("factor", c.factor())
                    .put("dropped_slots", c.droppedSlots())
                    .put("slots", c.slots());
            num(cn, "dropped_fraction", c.droppedFraction());
            num(cn, "affected_token_fraction", c.affectedFraction());
        }
        if (l.deviceLimited() == null) {
            n.putNull("device_limited");
        } else {
            DeviceLimitedWhatIf.Result d = l.deviceLimited();
            ObjectNode dn =
                    n.putObject("device_limited").put("devices", d.devices()).put("limit", d.limit());
            num(dn, "changed_token_fraction", d.changedTokenFraction());
            num(dn, "changed_selection_fraction", d.changedSelectionFraction());
            num(dn, "mean_devices_per_token", d.meanDevicesPerToken());
        }
        if (l.bias() == null) {
            n.putNull("bias");
        } else {
            ObjectNode bn = n.putObject("bias").put("tokens", l.bias().tokens());
            num(bn, "changed_token_fraction", l.bias().changedTokenFraction());
            num(bn, "changed_selection_fraction", l.bias().changedSelectionFraction());
        }
    }

    private static ObjectNode load(ObjectNode n, LoadStats s) {
        longs(n.putArray("counts"), s.counts());
        doubles(n.putArray("share"), s.share());
        num(n, "max_mean", s.maxMean());
        num(n, "min_mean", s.minMean());
        num(n, "cv", s.cv());
        num(n, "balancedness", s.balancedness());
        num(n, "max_vio", s.maxVio());
        num(n, "entropy", s.loadEntropy());
        num(n, "gini", s.gini());
        ints(n.putArray("dead_experts"), s.dead());
        ints(n.putArray("hot_experts"), s.hot());
        return n;
    }

    private static void losses(ObjectNode n, LossValues v) {
        for (LossDefinition d : LossDefinition.values()) {
            num(n, d.key(), v.get(d));
        }
        num(n, "deepseek_expert_alpha", v.deepseekExpertAlpha());
    }

    private static void placement(ObjectNode n, PlacementAnalysis.Result p) {
        PlacementAnalysis.Request q = p.request();
        n.put("gpus", q.gpus())
                .put("nodes", q.nodes())
                .put("replicas", q.redundant())
                .put("groups", q.groups());
        set(n.putObject("contiguous").put("policy", "contiguous"), p.contiguous());
        set(
                n.putObject("eplb")
                        .put("policy", p.choice().policy())
                        .put("groups", p.choice().groups())
                        .put("reason", p.choice().reason()),
                p.eplb());
        if (p.eplbGlobal() != null) {
            set(n.putObject("eplb_global").put("policy", "global").put("groups", 1), p.eplbGlobal());
        }
    }

    /** The metrics of a placement set, after the policy keys the caller already wrote. */
    private static void set(ObjectNode n, PlacementAnalysis.PlacementSet s) {
        num(n, "balancedness", s.balancedness());
        num(n, "ratio_of_sums", s.ratioOfSums());
        ArrayNode lb = n.putArray("layer_balancedness");
        s.layers().forEach(pl -> lb.add(pl.balancedness()));
        nested(n.putArray("gpu_loads"), s.gpuLoads());
        ArrayNode rc = n.putArray("replica_counts");
        for (int[] row : s.replicaCounts()) {
            ints(rc.addArray(), row);
        }
        ArrayNode phy = n.putArray("phy2log");
        s.layers().forEach(pl -> ints(phy.addArray(), pl.phy2log()));
    }

    private static void nested(ArrayNode a, double[][] v) {
        for (double[] row : v) {
            doubles(a.addArray(), row);
        }
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }

    private static void ints(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static void longs(ArrayNode a, long[] v) {
        for (long x : v) {
            a.add(x);
        }
    }
}
