package io.moescope.app.teach;

import io.moescope.app.session.EngineService;
import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The walkthrough of one token through one MoE layer: which token and layer, the steps with the engine's numbers,
 * and the step shown. ←/→ move between steps, ↑/↓ between MoE layers, PgUp/PgDn between tokens (the view maps
 * the keys). Loads through a {@link WalkSource.Loader} (the engine thread) and applies results on the UI executor;
 * a result for a token or layer no longer asked for is dropped. Testable without a window.
 */
public final class WalkthroughViewModel {

    private final Workspace workspace;
    private final WalkSource.Loader loader;
    private final Executor ui;
    private final LiveRefresh live = new LiveRefresh(this::refresh);
    private final ReadOnlyIntegerWrapper position = new ReadOnlyIntegerWrapper(this, "position", -1);
    private final ReadOnlyIntegerWrapper moeLayer = new ReadOnlyIntegerWrapper(this, "moeLayer", 0);
    private final ReadOnlyIntegerWrapper stepIndex = new ReadOnlyIntegerWrapper(this, "stepIndex", 0);
    private final ReadOnlyObjectWrapper<WalkInput> input = new ReadOnlyObjectWrapper<>(this, "input");
    private final ReadOnlyObjectWrapper<List<WalkStep>> steps = new ReadOnlyObjectWrapper<>(this, "steps", List.of());
    private final ReadOnlyObjectWrapper<WalkStep> step = new ReadOnlyObjectWrapper<>(this, "step");
    private final ReadOnlyStringWrapper header =
            new ReadOnlyStringWrapper(this, "header", "Generate or open a trace, then pick a token");
    private final ReadOnlyStringWrapper variant = new ReadOnlyStringWrapper(this, "variant", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private Run loadedRun;
    private int loadedPosition = -1;
    private int loadedLayer = -1;
    private long asked;
    private CompletableFuture<WalkInput> pending = CompletableFuture.completedFuture(null);

    public WalkthroughViewModel(
            Workspace workspace,
            EngineService engine,
            java.util.function.Supplier<io.moescope.model.runtime.MoeModel> model,
            Executor ui) {
        this(workspace, new WalkSource(engine, model)::load, ui);
    }

    public WalkthroughViewModel(Workspace workspace, WalkSource.Loader loader, Executor ui) {
        this.workspace = workspace;
        this.loader = loader;
        this.ui = ui;
        workspace.revisionProperty().addListener((obs, o, n) -> live.request());
        workspace.selectedPositionProperty().addListener((obs, o, n) -> {
            if (n.intValue() >= 0) {
                position.set(n.intValue());
                live.request();
            }
        });
        workspace.primaryProperty().addListener((obs, o, n) -> position.set(-1));
    }

    /** True while the walkthrough is on screen; it loads only then (and catches up when shown). */
    public BooleanProperty activeProperty() {
        return live.activeProperty();
    }

    /** Shows this position and MoE layer (index among the MoE layers), loading their numbers. */
    public CompletableFuture<WalkInput> show(int newPosition, int newMoeLayer) {
        position.set(newPosition);
        moeLayer.set(newMoeLayer);
        return refresh();
    }

    /** Loads what the current position and layer need, if not loaded yet; completes with what is shown. */
    public CompletableFuture<WalkInput> refresh() {
        TraceSnapshot view = workspace.primaryView();
        Run run = workspace.getPrimary();
        if (run == null || view.isEmpty()) {
            clear("Generate or open a trace, then pick a token");
            return CompletableFuture.completedFuture(null);
        }
        int layers = view.layers();
        moeLayer.set(Math.max(0, Math.min(moeLayer.get(), layers - 1)));
        if (position.get() < 0 || view.at(position.get()) == null) {
            position.set(defaultPosition(view));
        }
        int p = position.get();
        int layer = view.decoderLayer(moeLayer.get());
        if (view.idsOnly()) { // nothing to load: no scores to walk from, and no trace file to read them
            asked++; // a load still under way is for another run
            clear(describe(view.at(p), p, layer));
            busy.set(false);
            message.set(NEEDS_SCORES);
            return CompletableFuture.completedFuture(null);
        }
        if (run == loadedRun && p == loadedPosition && layer == loadedLayer) {
            return pending;
        }
        if (!view.finished() && run.request() != null) {
            header.set("Waiting for the run to finish …");
            return CompletableFuture.completedFuture(null);
        }
        loadedRun = run;
        loadedPosition = p;
        loadedLayer = layer;
        long ticket = ++asked;
        busy.set(true);
        message.set("");
        header.set(describe(view.at(p), p, layer));
        CompletableFuture<WalkInput> done = new CompletableFuture<>();
        pending = done;
        loader.load(run, view, p, layer)
                .whenCompleteAsync(
                        (in, failure) -> {
                            if (ticket != asked) {
                                done.complete(null);
                                return;
                            }
                            busy.set(false);
                            if (failure != null) {
                                input.set(null);
                                steps.set(List.of());
                                step.set(null);
                                variant.set("");
                                message.set(EngineService.describe(failure));
                                done.complete(null);
                                return;
                            }
                            apply(in);
                            done.complete(in);
                        },
                        ui);
        return done;
    }

    /** What the walkthrough says on a source with expert ids only (an imported recording), as the Gate tab does. */
    public static final String NEEDS_SCORES = "Recordings carry routed expert ids only: the walkthrough needs "
            + "router scores and weights (open the model and run the prompt, or a trace it wrote).";

    private void apply(WalkInput in) {
        WalkStep.Kind was = step.get() == null ? null : step.get().kind();
        List<WalkStep> list = WalkSteps.of(in);
        input.set(in);
        steps.set(list);
        variant.set(in.variant().summary());
        message.set(
                list.isEmpty()
                        ? "This trace has only the chosen experts (an imported recording): nothing to " + "walk through"
                        : in.hasWeights()
                                ? ""
                                : "Replayed trace: the routing is real, the vectors need " + "the model's weights");
        int index = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).kind() == was) {
                index = i;
            }
        }
        select(index);
    }

    private void clear(String text) {
        loadedRun = null;
        loadedPosition = -1;
        loadedLayer = -1;
        input.set(null);
        steps.set(List.of());
        step.set(null);
        variant.set("");
        header.set(text);
    }

    private String describe(TokenTrace t, int p, int layer) {
        String token = t == null ? "#" + p : "“" + t.label() + "”";
        return "Token " + token + " at position " + p + ", decoder layer " + layer;
    }

    /** The first generated token, else the last position. */
    private static int defaultPosition(TraceSnapshot view) {
        for (TokenTrace t : view.tokens()) {
            if (!t.isPrefill()) {
                return t.position();
            }
        }
        return view.tokens().get(view.size() - 1).position();
    }

    private void select(int index) {
        List<WalkStep> list = steps.get();
        if (list.isEmpty()) {
            step.set(null);
            stepIndex.set(0);
            return;
        }
        int i = Math.max(0, Math.min(index, list.size() - 1));
        stepIndex.set(i);
        step.set(list.get(i));
    }

    public void nextStep() {
        select(stepIndex.get() + 1);
    }

    public void previousStep() {
        select(stepIndex.get() - 1);
    }

    public void firstStep() {
        select(0);
    }

    /** Selects the step of this kind if the walkthrough has one; false if not. */
    public boolean selectStep(WalkStep.Kind kind) {
        List<WalkStep> list = steps.get();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).kind() == kind) {
                select(i);
                return true;
            }
        }
        return false;
    }

    public CompletableFuture<WalkInput> nextLayer() {
        return moveLayer(1);
    }

    public CompletableFuture<WalkInput> previousLayer() {
        return moveLayer(-1);
    }

    public CompletableFuture<WalkInput> nextToken() {
        return moveToken(1);
    }

    public CompletableFuture<WalkInput> previousToken() {
        return moveToken(-1);
    }

    private CompletableFuture<WalkInput> moveLayer(int by) {
        int layers = workspace.primaryView().layers();
        if (layers == 0) {
            return CompletableFuture.completedFuture(null);
        }
        moeLayer.set(Math.floorMod(moeLayer.get() + by, layers));
        return refresh();
    }

    private CompletableFuture<WalkInput> moveToken(int by) {
        TraceSnapshot view = workspace.primaryView();
        if (view.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        int first = view.tokens().get(0).position();
        int last = view.tokens().get(view.size() - 1).position();
        position.set(Math.max(first, Math.min(last, position.get() + by)));
        return refresh();
    }

    public ReadOnlyIntegerProperty positionProperty() {
        return position.getReadOnlyProperty();
    }
    /** Index among the MoE layers. */
    public ReadOnlyIntegerProperty moeLayerProperty() {
        return moeLayer.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty stepIndexProperty() {
        return stepIndex.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WalkInput> inputProperty() {
        return input.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<WalkStep>> stepsProperty() {
        return steps.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WalkStep> stepProperty() {
        return step.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty headerProperty() {
        return header.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty variantProperty() {
        return variant.getReadOnlyProperty();
    }
    /** An error, or a note on what is missing (replay); empty when all is there. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
