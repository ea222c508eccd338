package io.moescope.app.granularity;

import io.moescope.app.session.EngineService;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Fine-grained vs coarse experts: two embedded models with the same total and active expert parameters run the same
 * prompt. Shows per model the validation loss per domain and the JS specialisation per layer (from each directory's
 * validation.json), the share of the gate weight per rank and the expert combinations on the prompt, and the
 * routing of the same tokens in the chosen MoE layer. The models are opened on the background executor on the first
 * run and kept open; results arrive through the UI executor. While the view is shown it follows the prompt of the
 * window's current run (so a lesson step's prompt appears here too).
 */
public final class GranularityViewModel implements AutoCloseable {

    /** The prompt shown before anything else is asked for. */
    public static final String DEFAULT_PROMPT = "ROMEO:\nShall I compare thee to a summer's day?\ndef add(a, b):\n"
            + "    return a + b\n154 + 231 = 385\n子曰：學而時習之";

    private final Path fineDir;
    private final Path coarseDir;
    private final Executor background;
    private final Executor ui;
    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", DEFAULT_PROMPT);
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final ReadOnlyObjectWrapper<GranularityReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyStringWrapper status =
            new ReadOnlyStringWrapper(this, "status", "Run the prompt on both models.");
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", false);
    private final Supplier<String> currentPrompt;
    private MoeModel fine;
    private MoeModel coarse;

    /**
     * @param currentPrompt the window's current prompt (null when there is none), followed while the view is shown
     */
    public GranularityViewModel(
            Path fineDir, Path coarseDir, Executor background, Executor ui, Supplier<String> currentPrompt) {
        this.fineDir = fineDir;
        this.coarseDir = coarseDir;
        this.background = background;
        this.ui = ui;
        this.currentPrompt = currentPrompt;
        active.addListener((obs, o, shown) -> {
            if (shown) {
                promptChanged();
            }
        });
    }

    /** The window's prompt may have changed: follow it while shown; the first showing runs at least the default. */
    public void promptChanged() {
        if (!active.get()) {
            return;
        }
        String text = currentPrompt.get();
        if (text != null && !text.isBlank()) {
            follow(text);
        } else if (report.get() == null) {
            run();
        }
    }

    /**
     * The embedded model is the fine-grained half of the pair; its coarse twin ({@code <embedded>-coarse}, may be
     * absent) ships beside it, trained with the same recipe.
     */
    public static Path coarseTwin(Path embedded) {
        return embedded.resolveSibling(embedded.getFileName() + "-coarse");
    }

    /**
     * Runs {@link #promptProperty()} on both models (in the background); the report or a one-line problem follows.
     * The future completes on the UI executor once the report is shown (or fails with the problem).
     */
    public CompletableFuture<GranularityReport> run() {
        String text = prompt.get();
        status.set("Running the prompt on both models…");
        CompletableFuture<GranularityReport> done = new CompletableFuture<>();
        background.execute(() -> {
            try {
                GranularityReport r = compute(text);
                ui.execute(() -> {
                    report.set(r);
                    int layers = r.fine().routing().layers().length;
                    layer.set(Math.max(0, Math.min(layer.get(), layers - 1)));
                    status.set(summary(r));
                    done.complete(r);
                });
            } catch (ModelLoadException | RuntimeException e) {
                String message = EngineService.describe(e);
                ui.execute(() -> {
                    status.set(message);
                    done.completeExceptionally(e);
                });
            }
        });
        return done;
    }

    /** Sets the prompt and runs it, unless it is what the report already shows. */
    public CompletableFuture<GranularityReport> follow(String text) {
        GranularityReport r = report.get();
        if (text == null || text.isBlank() || (r != null && r.prompt().equals(text))) {
            return r != null ? CompletableFuture.completedFuture(r) : run();
        }
        prompt.set(text);
        return run();
    }

    /** Follows the window's current prompt now (snapshots), shown or not. */
    public CompletableFuture<GranularityReport> followCurrent() {
        return follow(currentPrompt.get());
    }

    private synchronized GranularityReport compute(String text) throws ModelLoadException {
        if (fine == null) {
            fine = MoeModel.open(fineDir);
        }
        if (coarse == null) {
            coarse = MoeModel.open(coarseDir);
        }
        return new GranularityReport(
                text,
                GranularityReport.Side.of(fineDir, fine, text),
                GranularityReport.Side.of(coarseDir, coarse, text));
    }

    /** "mean weight beyond the first expert: fine 41 %, coarse 30 % · …" */
    static String summary(GranularityReport r) {
        return String.format(
                Locale.ROOT,
                "%d tokens · weight held by ranks 2..k: %s %.0f %%, %s %.0f %%",
                r.fine().routing().positions(),
                r.fine().name(),
                100 * GranularityCharts.sharedBeyondFirst(r.fine().routing()),
                r.coarse().name(),
                100 * GranularityCharts.sharedBeyondFirst(r.coarse().routing()));
    }

    public HeatmapSnapshot routing(boolean fineSide) {
        GranularityReport r = report.get();
        return r == null
                ? HeatmapSnapshot.EMPTY
                : GranularityCharts.routing(side(r, fineSide).routing(), layer.get());
    }

    public String combinations(boolean fineSide) {
        GranularityReport r = report.get();
        return r == null ? "" : GranularityCharts.combinations(side(r, fineSide).routing(), layer.get());
    }

    public BarsSnapshot loss(boolean fineSide) {
        GranularityReport r = report.get();
        return r == null
                ? BarsSnapshot.EMPTY
                : GranularityCharts.loss(side(r, fineSide).figures());
    }

    public BarsSnapshot js(boolean fineSide) {
        GranularityReport r = report.get();
        return r == null
                ? BarsSnapshot.EMPTY
                : GranularityCharts.js(side(r, fineSide).figures());
    }

    public BarsSnapshot rankShares(boolean fineSide) {
        GranularityReport r = report.get();
        return r == null
                ? BarsSnapshot.EMPTY
                : GranularityCharts.rankShares(side(r, fineSide).routing());
    }

    /** "tiny-deepseekmoe: 16 routed experts, top-4 + 2 shared" */
    public String title(boolean fineSide) {
        GranularityReport r = report.get();
        if (r == null) {
            return (fineSide ? fineDir : coarseDir).getFileName().toString();
        }
        GranularityReport.Side s = side(r, fineSide);
        return s.name() + ": " + s.layoutText();
    }

    /** Decoder layer number of the selected MoE layer, or -1 before the first report. */
    public int decoderLayer() {
        GranularityReport r = report.get();
        return r == null ? -1 : r.fine().routing().layers()[layer.get()];
    }

    private static GranularityReport.Side side(GranularityReport r, boolean fineSide) {
        return fineSide ? r.fine() : r.coarse();
    }

    public StringProperty promptProperty() {
        return prompt;
    }
    /** Index of the shown MoE layer (0 = the first MoE layer). */
    public IntegerProperty layerProperty() {
        return layer;
    }

    public ReadOnlyObjectProperty<GranularityReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
    /** Whether the view is shown. */
    public BooleanProperty activeProperty() {
        return active;
    }

    @Override
    public synchronized void close() {
        if (fine != null) {
            fine.close();
        }
        if (coarse != null) {
            coarse.close();
        }
        fine = null;
        coarse = null;
    }
}
