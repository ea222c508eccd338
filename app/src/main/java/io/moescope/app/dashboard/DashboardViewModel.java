package io.moescope.app.dashboard;

import io.moescope.app.load.LoadStats;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.WeightMode;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** Headline figures for the tiles: speed, tokens, active parameters, routing entropy, imbalance, trace memory. */
public final class DashboardViewModel {

    private final Workspace workspace;
    private final EngineViewModel session;
    private final ReadOnlyDoubleWrapper tokensPerSecond = new ReadOnlyDoubleWrapper(this, "tokensPerSecond");
    private final ReadOnlyDoubleWrapper tokens = new ReadOnlyDoubleWrapper(this, "tokens");
    private final ReadOnlyDoubleWrapper activeParamsMillions = new ReadOnlyDoubleWrapper(this, "activeParams");
    private final ReadOnlyDoubleWrapper entropy = new ReadOnlyDoubleWrapper(this, "entropy");
    private final ReadOnlyStringWrapper entropyNote = new ReadOnlyStringWrapper(this, "entropyNote", "");
    private final ReadOnlyDoubleWrapper imbalance = new ReadOnlyDoubleWrapper(this, "imbalance");
    private final ReadOnlyDoubleWrapper memoryMb = new ReadOnlyDoubleWrapper(this, "memoryMb");
    private final ReadOnlyStringWrapper memoryNote = new ReadOnlyStringWrapper(this, "memoryNote", "");

    /** The entropy tile's note for a source without router scores (its figure is then not a measurement). */
    public static final String ENTROPY_NOT_RECORDED = "n/a: no router scores in the source";

    public DashboardViewModel(Workspace workspace, EngineViewModel session) {
        this.workspace = workspace;
        this.session = session;
        workspace.revisionProperty().addListener((obs, o, n) -> refresh());
        session.modelProperty().addListener((obs, o, n) -> refresh());
        refresh();
    }

    public void refresh() {
        Run run = workspace.getPrimary();
        TraceSnapshot view = workspace.primaryView();
        tokensPerSecond.set(run == null ? 0 : run.tokensPerSecond());
        tokens.set(run == null ? 0 : run.positions());
        MoeModel model = session.getModel();
        // active bytes are counted in the dtype the kernels read: FP32 copies 4 bytes, mapped BF16/F16 weights 2
        double bytesPerWeight = model != null && model.weightMode() == WeightMode.NATIVE ? 2.0 : 4.0;
        activeParamsMillions.set(model == null ? 0 : model.activeBytesPerToken() / bytesPerWeight / 1e6);
        entropy.set(LoadStats.meanRoutingEntropy(view));
        // a recording of expert ids has no router distribution: 0 would read as "perfectly confident"
        entropyNote.set(view.idsOnly() ? ENTROPY_NOT_RECORDED : "");
        imbalance.set(LoadStats.worstImbalance(LoadStats.balance(view)));
        memoryMb.set(view.bytes() / 1e6);
        memoryNote.set(
                view.droppedPositions() > 0
                        ? "capped: oldest " + view.droppedPositions() + " dropped"
                        : "cap " + view.capacity() + " positions");
    }

    public ReadOnlyDoubleProperty tokensPerSecondProperty() {
        return tokensPerSecond.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty tokensProperty() {
        return tokens.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty activeParamsMillionsProperty() {
        return activeParamsMillions.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty entropyProperty() {
        return entropy.getReadOnlyProperty();
    }

    /** Below the entropy figure: {@link #ENTROPY_NOT_RECORDED} when the source has no router scores, else empty. */
    public ReadOnlyStringProperty entropyNoteProperty() {
        return entropyNote.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty imbalanceProperty() {
        return imbalance.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty memoryMbProperty() {
        return memoryMb.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty memoryNoteProperty() {
        return memoryNote.getReadOnlyProperty();
    }
}
