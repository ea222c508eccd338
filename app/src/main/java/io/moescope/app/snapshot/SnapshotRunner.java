package io.moescope.app.snapshot;

import io.moescope.app.session.AppPaths;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.app.window.Explorer;
import io.moescope.app.window.GuiOptions;
import io.moescope.app.window.MainView;
import io.moescope.viz.export.PngExport;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;

/**
 * {@code gui --snapshot FILE}: opens the model (or trace), generates, prepares the requested view (selects a
 * token, runs an ablation for the compare view), waits for the pulses to settle, writes the window as PNG and
 * exits. Every step after the first runs on the FX thread.
 */
public final class SnapshotRunner {

    private final Explorer ex;
    private final MainView main;
    private final Scene scene;
    private final GuiOptions o;
    private final IntConsumer exitCode;
    private final RunProgress progress = RunProgress.global();

    /** @param exitCode where a failed snapshot reports the process exit code (2) */
    public SnapshotRunner(Explorer ex, MainView main, Scene scene, GuiOptions o, IntConsumer exitCode) {
        this.ex = ex;
        this.main = main;
        this.scene = scene;
        this.o = o;
        this.exitCode = exitCode;
    }

    public void start() {
        if (!main.select(o.view()) && panel() == null && !o.view().equals("window")) {
            System.err.println("moescope: unknown view '" + o.view() + "' (gate, load, shared, compare, diagnosis, "
                    + "walk, granularity, inspector, transcript, dashboard, window)");
        }
        // the watchdog's dump says how far the generation got (tokens so far), not only where its threads stood
        ex.workspace.primaryProperty().addListener((obs, was, run) -> {
            if (run != null && !run.isReplay()) {
                progress.generating(run, o.maxTokens());
            }
        });
        progress.phase(o.lesson() != null ? "open lesson" : o.trace() != null ? "open trace" : "open model");
        load().thenCompose(x -> {
                    progress.phase("prepare view");
                    return prepare();
                })
                .whenComplete((x, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        System.err.println("moescope: snapshot failed: " + EngineService.describe(failure));
                        exitCode.accept(2);
                        Platform.exit();
                        return;
                    }
                    if (o.layer() != null && o.layer() < 0) {
                        ex.workspace.layerProperty().set(Workspace.ALL_LAYERS);
                    } else if (o.layer() != null && ex.workspace.primaryView().shape() != null) {
                        ex.workspace
                                .layerProperty()
                                .set(Math.max(
                                        0, ex.workspace.primaryView().shape().moeIndex(o.layer())));
                    }
                    if (o.present()) {
                        main.teach().presentation().enter();
                    }
                    progress.phase("settle");
                    PauseTransition settle = new PauseTransition(Duration.millis(600));
                    settle.setOnFinished(e -> write());
                    settle.play();
                }));
    }

    private CompletableFuture<?> load() {
        if (o.lesson() != null) {
            if (!ex.lessons.open(o.lesson())) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("cannot open " + o.lesson()));
            }
            return ex.lessons.pending().thenCompose(x -> ex.lessons.go(o.lessonStep() - 1));
        }
        if (o.trace() != null) {
            return ex.engine.openTrace(o.trace());
        }
        Path model = o.model() != null ? o.model() : AppPaths.embeddedModel();
        if (model == null) {
            return CompletableFuture.completedFuture(null); // empty session: snapshot the call to action
        }
        return ex.engine.openModel(model).thenCompose(m -> {
            progress.phase("generate");
            if (o.prompt() != null) {
                ex.prompt.promptProperty().set(o.prompt());
            } else if (m.tokenizer() == null) {
                ex.prompt.promptProperty().set("1, 17, 42, 5, 99, 23, 64, 7");
            }
            ex.prompt.maxTokensProperty().set(o.maxTokens());
            return ex.prompt.generate();
        });
    }

    private CompletableFuture<?> prepare() {
        if ("granularity".equals(o.view())) {
            return ex.granularity.followCurrent();
        }
        if (o.lesson() != null) {
            // a lesson step that started the balancing demo: the snapshot shows the finished run
            return ex.balance.ended();
        }
        TraceSnapshot view = ex.workspace.primaryView();
        if ("walk".equals(o.view())) {
            int position = o.inspect() != null ? o.inspect() : firstDecode(view);
            int layer = o.layer() != null && o.layer() >= 0 && view.shape() != null
                    ? Math.max(0, view.shape().moeIndex(o.layer()))
                    : 0;
            return ex.walkthrough.show(position, layer).thenAccept(in -> {
                if (o.walkStep() != null) {
                    ex.walkthrough.selectStep(io.moescope.app.teach.WalkStep.Kind.parse(o.walkStep()));
                }
            });
        }
        int position = o.inspect() != null ? o.inspect() : firstDecode(view);
        ex.workspace.selectedPositionProperty().set(position);
        if (!"compare".equals(o.view()) || view.isEmpty() || ex.engine.getModel() == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (o.comparePrompt() != null) {
            return ex.prompt.generate(o.comparePrompt(), io.moescope.model.api.Intervention.NONE, true, "prompt B");
        }
        if (o.ablate() != null) {
            String[] parts = o.ablate().split(":");
            ex.interventions.ablate(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } else {
            long[] counts = view.counts().layer(0);
            int busiest = 0;
            for (int e = 0; e < counts.length; e++) {
                busiest = counts[e] > counts[busiest] ? e : busiest;
            }
            ex.interventions.ablate(view.decoderLayer(0), busiest);
        }
        return ex.interventions.rerun();
    }

    /** The side panel that --view names, or null for a tab or the whole window. */
    private Node panel() {
        switch (o.view()) {
            case "inspector":
                return ex.inspectorView.root();
            case "transcript":
                return ex.transcriptView.root();
            case "dashboard":
                return ex.dashboardView;
            default:
                return null;
        }
    }

    private static int firstDecode(TraceSnapshot view) {
        for (TokenTrace t : view.tokens()) {
            if (!t.isPrefill()) {
                return t.position();
            }
        }
        return view.isEmpty() ? -1 : view.tokens().get(view.size() - 1).position();
    }

    private void write() {
        progress.phase("write png");
        try {
            WritableImage window = scene.snapshot(null);
            Node panel = panel();
            if (panel != null) { // the panel as it looks in the window (its own snapshot would lose the backdrop)
                Bounds b = panel.localToScene(panel.getBoundsInLocal());
                int x = (int) Math.max(0, Math.floor(b.getMinX()));
                int y = (int) Math.max(0, Math.floor(b.getMinY()));
                int w = (int) Math.min(window.getWidth() - x, Math.ceil(b.getWidth()));
                int h = (int) Math.min(window.getHeight() - y, Math.ceil(b.getHeight()));
                window = new WritableImage(window.getPixelReader(), x, y, w, h);
            }
            PngExport.write(window, o.snapshot());
            System.err.println("moescope: wrote " + o.snapshot());
        } catch (Exception e) {
            System.err.println("moescope: cannot write " + o.snapshot() + ": " + e.getMessage());
            exitCode.accept(2);
        }
        Platform.exit();
    }
}
