package io.moescope.app.window;

import io.moescope.app.export.Exporter;
import io.moescope.app.session.AppPaths;
import io.moescope.app.view.ChartView;
import io.moescope.viz.VizTheme;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.scene.Parent;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The window's commands (menus, toolbar and shortcuts call these). FX thread. */
public final class Actions {

    private final Explorer explorer;
    private final Supplier<Window> window;
    private final ErrorDialogs dialogs;
    private final Supplier<ChartView> currentView;
    private final WindowPrefs prefs;
    private Parent root;
    private VizTheme theme = VizTheme.DARK;
    private final DiagnosisActions diagnosis;
    private final RecordingActions recordings;

    Actions(
            Explorer explorer,
            Supplier<Window> window,
            ErrorDialogs dialogs,
            Supplier<ChartView> currentView,
            WindowPrefs prefs) {
        this.explorer = explorer;
        this.window = window;
        this.dialogs = dialogs;
        this.currentView = currentView;
        this.prefs = prefs;
        this.diagnosis = new DiagnosisActions(explorer, window, dialogs);
        this.recordings = new RecordingActions(explorer, window);
    }

    /** File → Diagnose corpus…: choose files, run them through the model, show the Diagnosis tab. */
    public void diagnoseCorpus() {
        diagnosis.diagnoseCorpus();
    }

    public void saveDiagnosisReport() {
        diagnosis.saveReport();
    }

    public void attach(Parent sceneRoot) {
        root = sceneRoot;
        setTheme(VizTheme.valueOf(prefs.get("theme", "DARK")));
        explorer.workspace.paletteProperty().set(prefs.get("palette", "viridis"));
    }

    /**
     * One chooser for both kinds of model: a {@code .gguf} file (the first part of a split one), or a Hugging Face
     * directory picked by its {@code config.json} (JavaFX has no chooser that returns files and directories).
     */
    public void openModel() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a model: a .gguf file, or a Hugging Face directory's config.json");
        chooser.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter(
                                "Models (*.gguf, config.json)", "*.gguf", "*.GGUF", "config.json"),
                        new FileChooser.ExtensionFilter("GGUF file", "*.gguf", "*.GGUF"),
                        new FileChooser.ExtensionFilter("Hugging Face directory (its config.json)", "config.json"));
        Path home = AppPaths.home().resolve("resources/models");
        if (home.toFile().isDirectory()) {
            chooser.setInitialDirectory(home.toFile());
        }
        File file = chooser.showOpenDialog(window.get());
        if (file != null) {
            Path p = file.toPath();
            explorer.engine.openModel(p.getFileName().toString().equals("config.json") ? p.getParent() : p);
        }
    }

    public void openTrace() {
        File file =
                chooser("Open a MoE Scope trace", "JSON Lines trace", "*.jsonl").showOpenDialog(window.get());
        if (file != null) {
            explorer.engine.openTrace(file.toPath());
        }
    }

    /** File → Import recording…: a serving engine's routing recording, opened like a trace. */
    public void importRecording() {
        recordings.importRecording();
    }

    public void generate() {
        explorer.prompt.generate();
    }

    public void stop() {
        explorer.engine.stop();
    }

    public void exportPng() {
        ChartView view = currentView.get();
        save(
                "Export " + view.title() + " as PNG",
                "gui-" + view.name() + ".png",
                "PNG image",
                "*.png",
                path -> Exporter.png(view.root(), path));
    }

    public void exportSvg() {
        ChartView view = currentView.get();
        if (!view.hasSvg()) {
            dialogs.report("No SVG for this view", view.title() + " is not a chart; export it as PNG instead.");
            return;
        }
        save(
                "Export " + view.title() + " as SVG",
                "moescope-" + view.name() + ".svg",
                "SVG image",
                "*.svg",
                view::writeSvg);
    }

    public void saveTrace() {
        var run = explorer.workspace.getPrimary();
        if (run == null || run.traceFile() == null) {
            dialogs.report("Nothing to save", "There is no trace yet: generate or open a trace first.");
            return;
        }
        save("Save the trace", "trace.jsonl", "JSON Lines trace", "*.jsonl", path -> {
            Exporter.trace(run, path);
            explorer.engine.traceSaved(run, path); // a finished run's recovery file is no longer needed
        });
    }

    public void exportCsv() {
        save(
                "Export the load table",
                "expert-load.csv",
                "CSV table",
                "*.csv",
                path -> Exporter.text(explorer.load.csv(), path));
    }

    public void setTheme(VizTheme next) {
        theme = next;
        if (root != null) {
            next.applyTo(root);
        }
        prefs.put("theme", next.name());
    }

    public void toggleTheme() {
        setTheme(theme == VizTheme.DARK ? VizTheme.LIGHT : VizTheme.DARK);
    }

    public void setPalette(String name) {
        explorer.workspace.paletteProperty().set(name);
        prefs.put("palette", name);
    }

    private interface Writer {
        void write(Path path) throws IOException;
    }

    private void save(String title, String name, String kind, String glob, Writer writer) {
        FileChooser chooser = chooser(title, kind, glob);
        chooser.setInitialFileName(name);
        File file = chooser.showSaveDialog(window.get());
        if (file == null) {
            return;
        }
        try {
            writer.write(file.toPath());
            dialogs.info("Saved " + file);
        } catch (IOException | RuntimeException e) {
            dialogs.report("Cannot save " + file.getName(), file.toPath(), e);
        }
    }

    private static FileChooser chooser(String title, String kind, String glob) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, glob));
        return chooser;
    }

    Explorer explorer() {
        return explorer;
    }
}
