package io.moescope.app.diagnosis;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.Placement;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** What the Diagnosis tab draws, derived from the current report and settings. UI thread. */
public final class DiagnosisCharts {

    private final DiagnosisViewModel vm;
    private final ObservableList<DiagnosisRow> rows = FXCollections.observableArrayList();
    private final ObservableList<Integer> deviceChoices = FXCollections.observableArrayList(1);
    private final ObservableList<Double> factorChoices = FXCollections.observableArrayList(1.25);
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> coactivation =
            new ReadOnlyObjectWrapper<>(this, "coactivation", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<BarsSnapshot> contiguous =
            new ReadOnlyObjectWrapper<>(this, "contiguous", BarsSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<BarsSnapshot> eplb =
            new ReadOnlyObjectWrapper<>(this, "eplb", BarsSnapshot.EMPTY);
    private final ReadOnlyStringWrapper contiguousText = new ReadOnlyStringWrapper(this, "contiguousText", "");
    private final ReadOnlyStringWrapper eplbText = new ReadOnlyStringWrapper(this, "eplbText", "");
    private final ReadOnlyStringWrapper layerText = new ReadOnlyStringWrapper(this, "layerText", "");
    private DiagnosisMath.PlacementPair pair;

    DiagnosisCharts(DiagnosisViewModel vm) {
        this.vm = vm;
    }

    void refresh(DiagnosisReport r) {
        if (r == null || r.layers().isEmpty()) {
            rows.clear();
            coactivation.set(HeatmapSnapshot.EMPTY);
            contiguous.set(BarsSnapshot.EMPTY);
            eplb.set(BarsSnapshot.EMPTY);
            contiguousText.set("");
            eplbText.set("");
            layerText.set("");
            pair = null;
            return;
        }
        List<Integer> d = DiagnosisMath.validGpus(r.routedExperts());
        if (!deviceChoices.equals(d)) {
            deviceChoices.setAll(d);
        }
        List<Double> f = DiagnosisMath.factors(r);
        if (!factorChoices.equals(f)) {
            factorChoices.setAll(f);
        }
        int devices =
                vm.devicesProperty().get() == null ? 1 : vm.devicesProperty().get();
        double factor = vm.capacityFactorProperty().get() == null
                ? 1
                : vm.capacityFactorProperty().get();
        List<DiagnosisRow> out = new ArrayList<>();
        for (LayerReport l : r.layers()) {
            out.add(DiagnosisRow.of(l, r.topK(), devices, factor));
        }
        rows.setAll(out);
        LayerReport layer = r.layers().get(vm.layerIndex());
        layerText.set("Layer " + layer.layer());
        coactivation.set(coactivation(layer));
        PlacementViewModel p = vm.placement();
        pair = DiagnosisMath.place(
                layer,
                p.gpusProperty().get(),
                p.nodesProperty().get(),
                p.replicasProperty().get(),
                r.expertGroups());
        contiguous.set(bars(pair.contiguous()));
        eplb.set(bars(pair.eplb()));
        contiguousText.set(String.format(
                Locale.ROOT, "Contiguous: balancedness %.3f", pair.contiguous().balancedness()));
        eplbText.set(String.format(
                Locale.ROOT,
                "EPLB (%s, %d redundant): balancedness %.3f",
                pair.eplb().policy(),
                p.replicasProperty().get(),
                pair.eplb().balancedness()));
    }

    /** Expert × expert: tokens that chose both (diagonal: the expert's own count, clipped to the scale). */
    static HeatmapSnapshot coactivation(LayerReport l) {
        long[][] co = l.coactivation();
        int e = co.length;
        float[] v = new float[e * e];
        float offMax = 0;
        for (int i = 0; i < e; i++) {
            for (int j = 0; j < e; j++) {
                v[i * e + j] = co[i][j];
                offMax = i == j ? offMax : Math.max(offMax, co[i][j]);
            }
        }
        List<String> labels = RoutingHeatmaps.expertLabels(e);
        // the diagonal (an expert's own count) would flatten the pairs: the scale spans the pairs only
        return HeatmapSnapshot.of(e, e, v, labels, labels).withRange(0, Math.max(1, offMax));
    }

    private static BarsSnapshot bars(Placement p) {
        double[] loads = p.gpuLoads();
        float[] v = new float[loads.length];
        int busiest = 0;
        List<String> labels = new ArrayList<>();
        for (int g = 0; g < loads.length; g++) {
            v[g] = (float) Math.max(0, loads[g]);
            busiest = loads[g] > loads[busiest] ? g : busiest;
            labels.add("GPU " + g);
        }
        return BarsSnapshot.of(v, labels).withHighlighted(busiest).withMeanReference();
    }

    /** The table as CSV, full precision. */
    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(
                ",",
                DiagnosisRow.HEADERS.stream()
                        .map(h -> h.toLowerCase(Locale.ROOT).replace(' ', '_').replace('/', '_'))
                        .toList()));
        sb.append(",device_D=")
                .append(vm.devicesProperty().get())
                .append(",capacity_factor=")
                .append(vm.capacityFactorProperty().get())
                .append('\n');
        rows.forEach(r -> sb.append(r.csv()).append('\n'));
        return sb.toString();
    }

    /** The selected layer's per-GPU loads, contiguous and EPLB, as CSV. */
    public String placementCsv() {
        StringBuilder sb = new StringBuilder("gpu,contiguous_load,eplb_load\n");
        if (pair != null) {
            double[] a = pair.contiguous().gpuLoads();
            double[] b = pair.eplb().gpuLoads();
            for (int g = 0; g < a.length; g++) {
                sb.append(g).append(',').append(a[g]).append(',').append(b[g]).append('\n');
            }
        }
        return sb.toString();
    }

    public DiagnosisMath.PlacementPair placement() {
        return pair;
    }

    public ObservableList<DiagnosisRow> rows() {
        return rows;
    }

    public ObservableList<Integer> deviceChoices() {
        return deviceChoices;
    }

    public ObservableList<Double> factorChoices() {
        return factorChoices;
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> coactivationProperty() {
        return coactivation.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BarsSnapshot> contiguousProperty() {
        return contiguous.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BarsSnapshot> eplbProperty() {
        return eplb.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty contiguousTextProperty() {
        return contiguousText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty eplbTextProperty() {
        return eplbText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty layerTextProperty() {
        return layerText.getReadOnlyProperty();
    }
}
