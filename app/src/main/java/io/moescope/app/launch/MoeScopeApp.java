package io.moescope.app.launch;

import io.moescope.app.bench.GenerateBench;
import io.moescope.app.bench.PulseBench;
import io.moescope.app.recovery.RecoverySession;
import io.moescope.app.recovery.RecoveryViewModel;
import io.moescope.app.session.AppPaths;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.TraceFiles;
import io.moescope.app.snapshot.SnapshotRunner;
import io.moescope.app.window.ErrorDialogs;
import io.moescope.app.window.Explorer;
import io.moescope.app.window.GuiOptions;
import io.moescope.app.window.MainView;
import io.moescope.app.window.RecoveryDialog;
import io.moescope.app.window.WindowPrefs;
import io.moescope.viz.VizTheme;
import io.moescope.viz.fx.PulseExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX application: builds the explorer window, restores its state, and runs snapshot mode. */
public final class MoeScopeApp extends Application {

    private static volatile GuiOptions options = GuiOptions.DEFAULT;
    private static volatile int exitCode;
    /**
     * JavaFX's own logger, held so its filter stays: JavaFX warns on every start that it runs from the class path
     * ("Unsupported JavaFX configuration"), which is how this application ships (one class path with ControlsFX,
     * TilesFX and the engine); the filter drops that one message and nothing else.
     */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private Explorer explorer;
    private RecoverySession recovery;

    /** Opens the window and blocks until it closes; returns the exit code (non-zero if a snapshot failed). */
    public static int launch(GuiOptions gui) {
        options = Objects.requireNonNull(gui);
        JAVAFX_LOG.setFilter(record ->
                record.getMessage() == null || !record.getMessage().startsWith("Unsupported JavaFX configuration"));
        Application.launch(MoeScopeApp.class);
        return exitCode;
    }

    static void fail(int code) {
        exitCode = code;
    }

    @Override
    public void start(Stage stage) {
        GuiOptions o = options;
        boolean scripted = o.snapshotMode() || o.benchMode() || o.generateBenchMode();
        Preferences node =
                scripted ? Preferences.userRoot().node("io/moescope/app-snapshot") : WindowPrefs.defaultNode();
        if (scripted) {
            clear(node); // a snapshot depends on its options only, not on what an earlier snapshot stored
        }
        WindowPrefs prefs = new WindowPrefs(node);
        ErrorDialogs dialogs = new ErrorDialogs(stage, scripted);
        RecentFiles recent = new RecentFiles(node);
        recovery = scripted ? null : openRecovery();
        explorer = new Explorer(
                Platform::runLater,
                new PulseExecutor(),
                dialogs,
                recent,
                recovery == null ? TraceFiles.temporary() : recovery);
        MainView main = new MainView(explorer, () -> stage, dialogs, prefs);
        Scene scene = new Scene(main.root(), o.width(), o.height());
        scene.getStylesheets().addAll(VizTheme.stylesheet(), MainView.stylesheet());
        main.actions().attach(scene.getRoot());
        if (o.theme() != null) {
            main.actions().setTheme(VizTheme.valueOf(o.theme().toUpperCase(Locale.ROOT)));
        }
        stage.setTitle("MoE Scope");
        stage.setScene(scene);
        if (scripted) {
            stage.setWidth(o.width());
            stage.setHeight(o.height());
        } else {
            prefs.restore(stage);
            stage.setOnCloseRequest(e -> prefs.save(stage));
        }
        // the model (or trace) starts loading on the engine thread while the window is being shown
        if (o.snapshotMode()) {
            new SnapshotRunner(explorer, main, scene, o, MoeScopeApp::fail).start();
        } else if (o.generateBenchMode()) {
            new GenerateBench(explorer, main, scene, o, MoeScopeApp::fail).start();
        } else if (!o.benchMode()) {
            openAtStart(o, recent);
        }
        stage.show();
        if (recovery != null) {
            RecoveryViewModel offer =
                    new RecoveryViewModel(recovery, explorer.engine, explorer.prompt.promptProperty(), dialogs);
            offer.scan();
            Platform.runLater(() -> RecoveryDialog.offer(offer, dialogs));
        }
        if (o.benchMode()) {
            new PulseBench(explorer, main, scene, o).start();
        }
    }

    /**
     * This window's recovery folder (its runs survive a crash); null, with a line on stderr, when the data directory
     * cannot be written: the window then works as before, with temporary trace files.
     */
    private static RecoverySession openRecovery() {
        try {
            return RecoverySession.open(AppPaths.dataDirectory());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("moescope: runs will not survive a crash: cannot write the recovery folder in "
                    + AppPaths.dataDirectory() + " (" + e.getMessage() + ")");
            return null;
        }
    }

    private static void clear(Preferences node) {
        try {
            node.clear();
        } catch (java.util.prefs.BackingStoreException e) {
            System.err.println("moescope: cannot reset the snapshot preferences: " + e.getMessage());
        }
    }

    private void openAtStart(GuiOptions o, RecentFiles recent) {
        if (o.trace() != null) {
            explorer.engine.openTrace(o.trace());
            return;
        }
        Path model = o.model();
        if (model == null && recent.lastModel() != null && Files.exists(recent.lastModel())) {
            model = recent.lastModel();
        }
        if (model == null) {
            model = AppPaths.embeddedModel();
        }
        if (model != null) {
            explorer.engine.openModel(model);
        }
    }

    @Override
    public void stop() {
        if (explorer != null) {
            explorer.close();
        }
        if (recovery != null) {
            recovery.close(); // a normal close: nothing to restore next time
        }
    }
}
