package io.moescope.app.intervention;

import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Problems;
import io.moescope.app.session.Run;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.trace.ModelShape;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The routing intervention being built from the GUI (ablate / force experts per layer, top-k, always-on parts
 * off), and the command that re-runs the primary run's exact request with it as the comparison run.
 * Layers here are decoder layer numbers, as the engine takes them.
 */
public final class InterventionViewModel {

    private final EngineViewModel session;
    private final Problems problems;
    private final ObjectProperty<Intervention> intervention =
            new SimpleObjectProperty<>(this, "intervention", Intervention.NONE);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "no intervention");

    public InterventionViewModel(EngineViewModel session, Problems problems) {
        this.session = session;
        this.problems = problems;
        intervention.addListener((obs, o, iv) -> summary.set(describe(iv, shape())));
    }

    public void ablate(int layer, int expert) {
        intervention.set(intervention.get().withAblation(layer, expert));
    }

    /** Routes every token to exactly this expert in this layer. */
    public void force(int layer, int expert) {
        intervention.set(intervention.get().withForced(layer, expert));
    }

    public void setTopK(int k) {
        intervention.set(intervention.get().withTopK(Math.max(0, k)));
    }

    public void setAlwaysOnOff(boolean off) {
        intervention.set(intervention.get().withAlwaysOnOff(off));
    }

    public void clear() {
        intervention.set(Intervention.NONE);
    }

    /** Re-runs the primary run's prompt and settings with the intervention; the result is the comparison run. */
    public CompletableFuture<Run> rerun() {
        Run primary = session.workspace().getPrimary();
        if (primary == null || primary.request() == null) {
            problems.report("Nothing to re-run", "Generate from a prompt first; a replayed trace cannot be re-run.");
            return CompletableFuture.failedFuture(new IllegalStateException("no primary run"));
        }
        Intervention iv = intervention.get();
        int experts =
                session.getModel() == null ? 0 : session.getModel().config().routedExperts();
        if (iv.topK() > experts) {
            problems.report("Cannot re-run", "top-k must be in 1.." + experts + ", got " + iv.topK());
            return CompletableFuture.failedFuture(new IllegalArgumentException("top-k"));
        }
        GenerationRequest request = primary.request().withIntervention(iv);
        return session.generate(request, true, iv.isNone() ? "re-run" : describe(iv, shape()));
    }

    /** The primary run's shape, or null before one. */
    private ModelShape shape() {
        return session.workspace().primaryView().shape();
    }

    /**
     * The intervention in words; "always-on off" says what it switches off in this model ({@code shape}; null: not
     * known), e.g. "always-on off (shared experts ×2: L1–L3 · dense FFN: L0)".
     */
    static String describe(Intervention iv, ModelShape shape) {
        if (iv.isNone()) {
            return "no intervention";
        }
        String s = iv.toString();
        s = s.substring("Intervention[ ".length(), s.length() - 2);
        return iv.alwaysOnOff() && shape != null ? s + " (" + shape.describeAlwaysOn() + ")" : s;
    }

    public ObjectProperty<Intervention> interventionProperty() {
        return intervention;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
