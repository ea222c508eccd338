package io.moescope.app.diagnosis;

import io.moescope.app.report.DiagnoseRunner;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Problems;
import io.moescope.app.session.TraceStore;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.runtime.MoeModel;
import io.moescope.viz.fx.FxCoalescer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * "Diagnose corpus…": runs corpus files through the open model on the engine thread (prefill only, as
 * {@code moescope diagnose} does), with progress and cancel, and shows the report in the Diagnosis tab.
 */
public final class CorpusRunViewModel {

    private final EngineViewModel session;
    private final EngineService engine;
    private final DiagnosisViewModel diagnosis;
    private final Problems problems;
    private final Executor ui;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private volatile double latestProgress;
    private volatile long latestTokens;
    private final FxCoalescer refresher;

    public CorpusRunViewModel(
            EngineViewModel session,
            EngineService engine,
            DiagnosisViewModel diagnosis,
            Problems problems,
            Executor ui) {
        this.session = session;
        this.engine = engine;
        this.diagnosis = diagnosis;
        this.problems = problems;
        this.ui = ui;
        refresher = new FxCoalescer(ui, () -> {
            progress.set(latestProgress);
            status.set(String.format(Locale.ROOT, "Diagnosing: %,d tokens", latestTokens));
        });
    }

    /** Starts a run over the files; completes with the report, or null after reporting the problem. */
    public CompletableFuture<DiagnosisReport> start(List<Path> files) {
        MoeModel model = session.getModel();
        if (model == null) {
            problems.report("No model", "Open a model first: the corpus is run through it (prefill only).");
            return CompletableFuture.completedFuture(null);
        }
        if (running.get()) {
            problems.report("Already diagnosing", "Cancel the running corpus diagnosis first.");
            return CompletableFuture.completedFuture(null);
        }
        running.set(true);
        progress.set(-1);
        status.set("Diagnosing " + files.size() + " file(s) ...");
        DiagnoseRunner.Settings settings = new DiagnoseRunner.Settings(
                model.directory(), List.copyOf(files), 0, 256, null, 1, 0, TraceStore.CAPACITY_FACTORS, 3, null, false);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CompletableFuture<DiagnosisReport> done = new CompletableFuture<>();
        engine.background(cancelled -> new DiagnoseRunner(quiet, cancelled)
                        .diagnose(model, settings, (tokens, read, total) -> {
                            latestTokens = tokens;
                            latestProgress = total <= 0 ? -1 : (double) read / total;
                            refresher.signal();
                        }))
                .whenCompleteAsync(
                        (report, failure) -> {
                            running.set(false);
                            progress.set(-1);
                            if (failure != null) {
                                status.set("Corpus diagnosis failed");
                                problems.report(
                                        "Cannot diagnose the corpus", files.size() == 1 ? files.get(0) : null, failure);
                                done.complete(null);
                                return;
                            }
                            status.set(String.format(
                                    Locale.ROOT,
                                    "%s%,d tokens in %.1f s",
                                    report.run().cancelled() ? "Cancelled: the report covers " : "Diagnosed ",
                                    report.tokens(),
                                    report.run().seconds()));
                            diagnosis.showCorpus(report);
                            done.complete(report);
                        },
                        ui);
        return done;
    }

    /** Stops the run after its current chunk; the report covers what was processed. */
    public void cancel() {
        engine.cancel();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
