package io.moescope.app.diagnosis;

import io.moescope.viz.bars.BarChartCanvas;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The placement what-if: spinners over the valid G / nodes / R values and per-GPU load bars. */
final class PlacementPane extends VBox {

    final BarChartCanvas contiguous = new BarChartCanvas();
    final BarChartCanvas eplb = new BarChartCanvas();

    PlacementPane(DiagnosisViewModel vm) {
        super(4);
        PlacementViewModel p = vm.placement();
        DiagnosisCharts c = vm.charts();
        Label title = new Label();
        title.getStyleClass().add("section");
        title.textProperty().bind(Bindings.concat("Placement what-if, ", c.layerTextProperty(), ": load per GPU"));
        Label valid = new Label();
        valid.getStyleClass().add("hint");
        valid.setWrapText(true);
        valid.setMinHeight(Region.USE_PREF_SIZE); // wrap rather than shrink to one clipped line
        valid.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> "valid GPUs " + list(p.validGpus()) + " · nodes " + list(p.validNodes())
                                + " · redundant: multiples of "
                                + p.gpusProperty().get(),
                        p.changedProperty()));
        HBox controls = new HBox(
                6,
                label("GPUs"),
                spinner("placement-gpus", p.validGpus(), p.gpusProperty()),
                label("Nodes"),
                spinner("placement-nodes", p.validNodes(), p.nodesProperty()),
                label("Redundant"),
                spinner("placement-replicas", p.validReplicas(), p.replicasProperty()));
        controls.setAlignment(Pos.CENTER_LEFT);
        contiguous.setId("placement-contiguous");
        contiguous.barsProperty().bind(c.contiguousProperty());
        contiguous.setReferenceLabel("mean");
        eplb.setId("placement-eplb");
        eplb.barsProperty().bind(c.eplbProperty());
        eplb.setReferenceLabel("mean");
        Label a = new Label();
        a.textProperty().bind(c.contiguousTextProperty());
        Label b = new Label();
        b.textProperty().bind(c.eplbTextProperty());
        VBox.setVgrow(contiguous, Priority.ALWAYS);
        VBox.setVgrow(eplb, Priority.ALWAYS);
        contiguous.setMinHeight(60);
        eplb.setMinHeight(60);
        getChildren().addAll(title, controls, valid, a, contiguous, b, eplb);
    }

    private static String list(java.util.List<Integer> v) {
        return v.toString().replaceAll("[\\[\\]]", "");
    }

    /** A label that never shrinks to an ellipsis. */
    static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    /**
     * A spinner that steps through a list of valid values and follows the view model's value both ways. It
     * keeps its own copy of the list, so a list change never pushes a stale value into the view model.
     */
    static <T> Spinner<T> spinner(String id, ObservableList<T> values, ObjectProperty<T> value) {
        ObservableList<T> items = FXCollections.observableArrayList(values);
        SpinnerValueFactory.ListSpinnerValueFactory<T> f = new SpinnerValueFactory.ListSpinnerValueFactory<>(items);
        boolean[] updating = {false};
        Runnable sync = () -> {
            updating[0] = true;
            if (!items.equals(values)) {
                items.setAll(values);
            }
            if (items.contains(value.get())) {
                f.setValue(value.get());
            }
            updating[0] = false;
        };
        sync.run();
        values.addListener((ListChangeListener<T>) c -> sync.run());
        value.addListener((obs, o, n) -> sync.run());
        f.valueProperty().addListener((obs, o, n) -> {
            if (!updating[0] && n != null && !n.equals(value.get())) {
                value.set(n);
            }
        });
        Spinner<T> s = new Spinner<>(f);
        s.setId(id);
        s.setPrefWidth(72);
        s.setMinWidth(64);
        return s;
    }
}
