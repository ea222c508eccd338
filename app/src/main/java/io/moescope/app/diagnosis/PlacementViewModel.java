package io.moescope.app.diagnosis;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The placement what-if's settings: GPUs G (a divisor of E), nodes (a divisor of G) and redundant experts
 * (keeping E + R divisible by G). The lists hold only valid values, so the spinners can offer nothing else.
 */
public final class PlacementViewModel {

    private int experts;
    private boolean adjusting;
    private final ObservableList<Integer> validGpus = FXCollections.observableArrayList(1);
    private final ObservableList<Integer> validNodes = FXCollections.observableArrayList(1);
    private final ObservableList<Integer> validReplicas = FXCollections.observableArrayList(0);
    private final ObjectProperty<Integer> gpus = new SimpleObjectProperty<>(this, "gpus", 1);
    private final ObjectProperty<Integer> nodes = new SimpleObjectProperty<>(this, "nodes", 1);
    private final ObjectProperty<Integer> replicas = new SimpleObjectProperty<>(this, "replicas", 0);
    private final ReadOnlyLongWrapper changed = new ReadOnlyLongWrapper(this, "changed");

    public PlacementViewModel() {
        gpus.addListener((obs, o, n) -> settle());
        nodes.addListener((obs, o, n) -> settle());
        replicas.addListener((obs, o, n) -> settle());
    }

    /** The largest divisor of E that is at most 8. */
    int defaultGpus(int e) {
        return DiagnosisMath.validGpus(e).stream()
                .filter(d -> d <= 8)
                .reduce((a, b) -> b)
                .orElse(1);
    }

    /** A report with E experts arrived; keeps the settings if they are still valid. */
    void setExperts(int e) {
        if (e == experts) {
            return;
        }
        boolean first = experts == 0;
        experts = e;
        adjusting = true;
        validGpus.setAll(DiagnosisMath.validGpus(e));
        if (first || !validGpus.contains(gpus.get())) {
            gpus.set(defaultGpus(e));
        }
        if (first) {
            replicas.set(gpus.get()); // one redundant expert per GPU, as EPLB deployments do
        }
        adjusting = false;
        settle();
    }

    /** Recomputes the dependent lists and snaps nodes and replicas to valid values. */
    private void settle() {
        if (adjusting || experts == 0) {
            return;
        }
        adjusting = true;
        int g = gpus.get() == null || !validGpus.contains(gpus.get()) ? defaultGpus(experts) : gpus.get();
        gpus.set(g);
        List<Integer> n = DiagnosisMath.validNodes(g);
        if (!validNodes.equals(n)) {
            validNodes.setAll(n);
        }
        if (nodes.get() == null || !n.contains(nodes.get())) {
            nodes.set(1);
        }
        List<Integer> r = DiagnosisMath.validReplicas(experts, g);
        if (!validReplicas.equals(r)) {
            validReplicas.setAll(r);
        }
        if (replicas.get() == null || !r.contains(replicas.get())) {
            replicas.set(r.size() > 1 ? r.get(1) : 0);
        }
        adjusting = false;
        changed.set(changed.get() + 1);
    }

    public ObservableList<Integer> validGpus() {
        return validGpus;
    }

    public ObservableList<Integer> validNodes() {
        return validNodes;
    }

    public ObservableList<Integer> validReplicas() {
        return validReplicas;
    }

    public ObjectProperty<Integer> gpusProperty() {
        return gpus;
    }

    public ObjectProperty<Integer> nodesProperty() {
        return nodes;
    }

    public ObjectProperty<Integer> replicasProperty() {
        return replicas;
    }
    /** Moves after every settled change. */
    public ReadOnlyLongProperty changedProperty() {
        return changed.getReadOnlyProperty();
    }
}
