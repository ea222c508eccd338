package io.moescope.app.session;

import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.MoeModel;
import io.moescope.viz.fx.FxCoalescer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Opening models and traces, starting and stopping generations. Commands are called on the UI thread and
 * return at once; the work runs on {@link EngineService}'s thread and its results come back on the UI executor.
 */
public final class EngineViewModel {

    private final Workspace workspace;
    private final EngineService engine;
    private final Executor ui;
    private final Problems problems;
    private final RecentFiles recent;
    private final ReadOnlyObjectWrapper<MoeModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper(this, "source", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper generating = new ReadOnlyBooleanWrapper(this, "generating");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private volatile double latestProgress = -1;
    private volatile String latestStep = "";
    private final FxCoalescer progressRefresher;
    private int runCounter;
    private Run live; // the run being generated, UI thread

    public EngineViewModel(
            Workspace workspace, EngineService engine, Executor ui, Problems problems, RecentFiles recent) {
        this.workspace = workspace;
        this.engine = engine;
        this.ui = ui;
        this.problems = problems;
        this.recent = recent;
        this.progressRefresher = new FxCoalescer(ui, () -> {
            progress.set(latestProgress);
            status.set("Loading: " + latestStep);
        });
        workspace.primaryProperty().addListener((obs, old, run) -> releaseLater(old));
        workspace.comparisonProperty().addListener((obs, old, run) -> releaseLater(old));
    }

    /**
     * A run that left the window has no use for its working trace file (only the shown runs can be saved). Checked
     * after the current UI work, so a run moved from one slot to the other is kept.
     */
    private void releaseLater(Run old) {
        if (old != null) {
            ui.execute(() -> {
                if (old != workspace.getPrimary() && old != workspace.getComparison()) {
                    engine.release(old);
                }
            });
        }
    }

    /**
     * The run's trace was just saved to {@code target}. Once the run has finished, that copy is all it needs: the
     * working (recovery) file goes. A run still generating keeps its file until it leaves the window.
     */
    public void traceSaved(Run run, Path target) {
        if (run != null && run != live) {
            engine.saved(run, target);
        }
    }

    /** Opens a model directory in the background; the current model stays until the new one is ready. */
    public CompletableFuture<MoeModel> openModel(Path dir) {
        loading.set(true);
        progress.set(-1);
        status.set("Opening " + dir + " ...");
        return engine.load(dir, (done, total, what) -> {
                    latestProgress = total <= 0 ? -1 : (double) done / total;
                    latestStep = what;
                    progressRefresher.signal();
                })
                .whenCompleteAsync(
                        (m, failure) -> {
                            loading.set(false);
                            if (failure != null) {
                                status.set("Could not open " + dir.getFileName());
                                problems.report("Cannot open the model", dir, failure);
                                return;
                            }
                            MoeModel old = model.get();
                            model.set(m);
                            engine.dispose(old);
                            source.set(dir.getFileName() + "  ·  " + m.shape());
                            status.set("Model ready: " + m.config().family() + ", "
                                    + m.config().routedExperts() + " experts, top-"
                                    + m.config().topK() + ", " + m.summary()
                                    + (m.tokenizer() == null ? "  (no tokenizer: type token ids)" : ""));
                            workspace.comparisonProperty().set(null);
                            workspace.primaryProperty().set(null);
                            io.moescope.model.tokenizer.Tokenizer tok = m.tokenizer();
                            workspace.tokenTextProperty().set(tok == null ? id -> "#" + id : tok::display);
                            recent.add(true, dir);
                        },
                        ui);
    }

    public void cancelLoad() {
        engine.cancel();
    }

    /** Replays a saved JSONL trace with no model: every view works, generation does not. */
    public CompletableFuture<Run> openTrace(Path file) {
        return openTrace(file, file.getFileName().toString(), true);
    }

    /**
     * Replays a JSONL trace as a run named {@code label}; {@code remember} puts the file on the recent list (not
     * for a recovered run, whose file lives in the recovery folder).
     */
    public CompletableFuture<Run> openTrace(Path file, String label, boolean remember) {
        Run run = new Run(label, new TraceStore(), null);
        loading.set(true);
        status.set("Reading " + file + " ...");
        return engine.replay(file, run)
                .whenCompleteAsync(
                        (r, failure) -> {
                            loading.set(false);
                            if (failure != null) {
                                status.set("Could not read " + file.getFileName());
                                problems.report("Cannot open the trace", file, failure);
                                return;
                            }
                            workspace.comparisonProperty().set(null);
                            workspace.primaryProperty().set(r);
                            source.set("trace " + label + "  ·  "
                                    + r.store().view().shape());
                            status.set("Replayed " + r.positions() + " positions from " + label);
                            if (remember) {
                                recent.add(false, file);
                            }
                        },
                        ui);
    }

    /** Builds a run on the engine thread from something that is not a trace (an imported recording). */
    public interface RunBuilder {
        /** Polls {@code cancelled}; reports through {@code progress}; returns the run and what to call its source. */
        Built build(java.util.function.BooleanSupplier cancelled, io.moescope.model.runtime.LoadProgress progress)
                throws Exception;
    }

    /** A built run and the words for the source line (e.g. its model shape). */
    public record Built(Run run, String source) {}

    /**
     * Opens a run that {@code builder} makes in the background, with the load progress bar and its Cancel (a
     * cancelled build opens nothing); failures are reported under {@code problemTitle}.
     */
    public CompletableFuture<Run> openBuilt(String label, String problemTitle, RunBuilder builder) {
        loading.set(true);
        progress.set(-1);
        status.set("Reading " + label + " ...");
        CompletableFuture<Run> done = new CompletableFuture<>();
        engine.background(cancelled -> builder.build(cancelled, (step, total, what) -> {
                    latestProgress = total <= 0 ? -1 : (double) step / total;
                    latestStep = what;
                    progressRefresher.signal();
                }))
                .whenCompleteAsync(
                        (b, failure) -> {
                            loading.set(false);
                            progress.set(-1);
                            Throwable cause = failure instanceof java.util.concurrent.CompletionException
                                            && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure;
                            if (cause instanceof java.util.concurrent.CancellationException) {
                                status.set("Cancelled: nothing opened from " + label);
                                done.cancel(false);
                                return;
                            }
                            if (failure != null) {
                                status.set("Could not read " + label);
                                problems.report(problemTitle, null, failure);
                                done.completeExceptionally(failure);
                                return;
                            }
                            workspace.comparisonProperty().set(null);
                            workspace.primaryProperty().set(b.run());
                            source.set(label + "  ·  " + b.source());
                            status.set("Opened " + b.run().positions() + " positions from " + label);
                            done.complete(b.run());
                        },
                        ui);
        return done;
    }

    /**
     * Generates with the current model into a new run, which becomes the primary run (or the comparison run).
     * Completes with the run, or exceptionally after the problem has been reported.
     */
    public CompletableFuture<Run> generate(GenerationRequest request, boolean asComparison, String label) {
        return generate(request, asComparison, label, null);
    }

    /** As {@link #generate(GenerationRequest, boolean, String)}, remembering the prompt's text with the run. */
    public CompletableFuture<Run> generate(
            GenerationRequest request, boolean asComparison, String label, String prompt) {
        MoeModel m = model.get();
        if (m == null) {
            problems.report("Nothing to run", "Open a model first (File → Open model directory…).");
            return CompletableFuture.failedFuture(new IllegalStateException("no model"));
        }
        io.moescope.model.tokenizer.Tokenizer tok = m.tokenizer();
        TraceStore store = new TraceStore(TraceStore.DEFAULT_BUDGET_BYTES, request.promptIds().length <= 1024);
        if (tok != null) {
            store.tokenPieces(tok::display);
        }
        Run run = new Run(label == null ? "run " + (++runCounter) : label, store, request, prompt);
        if (asComparison) {
            workspace.comparisonProperty().set(run);
        } else {
            workspace.comparisonProperty().set(null);
            workspace.primaryProperty().set(run);
        }
        generating.set(true);
        live = run;
        status.set("Generating " + run.label() + " ...");
        CompletableFuture<Run> done = new CompletableFuture<>();
        engine.generate(m, run)
                .whenCompleteAsync(
                        (GenerationResult result, Throwable failure) -> {
                            generating.set(false);
                            if (live == run) {
                                live = null;
                            }
                            workspace.signal();
                            if (failure != null) {
                                status.set("Generation failed");
                                problems.report("Generation failed", null, failure);
                                done.completeExceptionally(failure);
                                return;
                            }
                            status.set(String.format(
                                    "%s: %d prompt + %d generated tokens, %.1f tok/s, stop: %s",
                                    run.label(),
                                    result.promptLength(),
                                    result.generatedCount(),
                                    result.decodeTokensPerSecond(),
                                    result.stopReason()));
                            done.complete(run);
                        },
                        ui);
        return done;
    }

    /** Stops the running generation after its current token, or the running load. */
    public void stop() {
        engine.cancel();
    }

    public ReadOnlyObjectProperty<MoeModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public MoeModel getModel() {
        return model.get();
    }

    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty generatingProperty() {
        return generating.getReadOnlyProperty();
    }
    /** Load progress in [0, 1], or -1 when unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public RecentFiles recentFiles() {
        return recent;
    }

    public Workspace workspace() {
        return workspace;
    }
}
