package io.moescope.app.diagnosis;

import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.RoutingAccumulator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Diagnosis tab: the load-balance diagnosis of the primary run's routing (a report built from a copy of the
 * run's live {@link io.moescope.model.diagnosis.RoutingAccumulator} on a background executor, at most once per
 * {@code minIntervalMillis}, as tokens stream) or of a corpus run.
 * Everything but {@link #requestLive()}'s background part runs on the UI executor; tests pass
 * {@code Runnable::run} for both executors.
 */
public final class DiagnosisViewModel {

    /** {@code -Dmoescope.liveDiagnosis=false} turns the live diagnosis off (for benchmarks). */
    private static final boolean OFF = "false".equals(System.getProperty("moescope.liveDiagnosis"));

    private final Workspace workspace;
    private final Executor ui;
    private final Executor background;
    private final long minIntervalMillis;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long lastStart;
    private volatile long lastMillis;
    private final javafx.beans.property.BooleanProperty active =
            new javafx.beans.property.SimpleBooleanProperty(this, "active", true);
    private volatile Run liveRun;
    private volatile Run computedRun;
    private volatile long computedTokens = -1;
    private final ReadOnlyObjectWrapper<DiagnosisReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyBooleanWrapper corpus = new ReadOnlyBooleanWrapper(this, "corpus");
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper(this, "caption", "No routing yet");
    private final ObjectProperty<Integer> devices = new SimpleObjectProperty<>(this, "devices", 4);
    private final ObjectProperty<Double> capacityFactor = new SimpleObjectProperty<>(this, "capacityFactor", 1.25);
    private final PlacementViewModel placement = new PlacementViewModel();
    private final DiagnosisCharts charts;

    public DiagnosisViewModel(Workspace workspace, Executor ui, Executor background, long minIntervalMillis) {
        this.workspace = workspace;
        this.ui = ui;
        this.background = background;
        this.minIntervalMillis = minIntervalMillis;
        this.charts = new DiagnosisCharts(this);
        workspace.revisionProperty().addListener((obs, o, n) -> requestLive());
        workspace.primaryProperty().addListener((obs, o, n) -> requestLive());
        workspace.layerProperty().addListener((obs, o, n) -> refresh());
        devices.addListener((obs, o, n) -> refresh());
        capacityFactor.addListener((obs, o, n) -> refresh());
        placement.changedProperty().addListener((obs, o, n) -> refresh());
        active.addListener((obs, o, n) -> requestLive());
    }

    /** Schedules a recomputation of the live diagnosis (coalesced: one queued at a time). UI thread. */
    public void requestLive() {
        if (corpus.get() || OFF || !active.get()) {
            return;
        }
        liveRun = workspace.getPrimary();
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        background.execute(() -> {
            // at most every minIntervalMillis, and never busier than 1/4 of a core on long runs
            long wait = lastStart + Math.max(minIntervalMillis, 4 * lastMillis) - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            queued.set(false); // a signal from here on queues another pass
            lastStart = System.currentTimeMillis();
            Run run = liveRun;
            RoutingAccumulator routing = run == null ? null : run.store().routing();
            long tokens = routing == null ? 0 : routing.tokens();
            if (run == computedRun && tokens == computedTokens) {
                return;
            }
            DiagnosisReport r;
            String text;
            try {
                String problem = run == null ? null : run.store().routingProblem();
                r = tokens == 0 ? null : DiagnosisMath.diagnose(routing, run.label());
                text = r == null
                        ? "No routing yet"
                        : "Live: " + run.label() + ", " + r.tokens() + " tokens"
                                + (problem != null ? " (stopped: " + problem + ")" : "");
            } catch (RuntimeException e) {
                r = null;
                text = "Cannot diagnose: " + e.getMessage();
            }
            DiagnosisReport result = r;
            String shown = text;
            computedRun = run;
            computedTokens = tokens;
            lastMillis = System.currentTimeMillis() - lastStart;
            ui.execute(() -> {
                if (!corpus.get() && run == workspace.getPrimary()) {
                    caption.set(shown);
                    show(result);
                }
            });
        });
    }

    /** Shows a corpus run's report instead of the live one until {@link #showLive()}. UI thread. */
    public void showCorpus(DiagnosisReport r) {
        corpus.set(true);
        caption.set(String.format(
                java.util.Locale.ROOT,
                "Corpus: %s, %,d tokens%s",
                String.join(
                        ", ",
                        r.run().sources().stream()
                                .map(s -> java.nio.file.Path.of(s).getFileName().toString())
                                .toList()),
                r.tokens(),
                r.run().cancelled() ? " (cancelled)" : ""));
        show(r);
    }

    /** Back to the live diagnosis of the current run. UI thread. */
    public void showLive() {
        corpus.set(false);
        computedRun = null;
        computedTokens = -1;
        requestLive();
    }

    private void show(DiagnosisReport r) {
        report.set(r);
        if (r != null) {
            placement.setExperts(r.routedExperts());
            if (!DiagnosisMath.validGpus(r.routedExperts()).contains(devices.get())) {
                devices.set(placement.defaultGpus(r.routedExperts()));
            }
            List<Double> f = DiagnosisMath.factors(r);
            if (!f.isEmpty() && !f.contains(capacityFactor.get())) {
                capacityFactor.set(f.contains(1.25) ? 1.25 : f.get(0));
            }
        }
        refresh();
    }

    /** Rebuilds the table and charts from the current report. UI thread. */
    public void refresh() {
        charts.refresh(report.get());
    }

    /** MoE layer index shown by the heatmap and the placement (the toolbar's layer; 0 for all layers). */
    public int layerIndex() {
        DiagnosisReport r = report.get();
        int n = r == null ? 1 : Math.max(1, r.layers().size());
        return Math.max(0, Math.min(n - 1, workspace.layerProperty().get()));
    }

    /** Whether the tab is shown: the live diagnosis is only recomputed while it is (catching up when shown). */
    public javafx.beans.property.BooleanProperty activeProperty() {
        return active;
    }

    public ReadOnlyObjectProperty<DiagnosisReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    public DiagnosisReport getReport() {
        return report.get();
    }

    public ReadOnlyBooleanProperty corpusProperty() {
        return corpus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }
    /** D for the device-level loss (a divisor of E). */
    public ObjectProperty<Integer> devicesProperty() {
        return devices;
    }

    public ObjectProperty<Double> capacityFactorProperty() {
        return capacityFactor;
    }

    public PlacementViewModel placement() {
        return placement;
    }

    public DiagnosisCharts charts() {
        return charts;
    }
}
