package io.moescope.app.window;

import io.moescope.app.recording.LoadWindowsViewModel;
import io.moescope.app.recording.RecordingRun;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Run;
import io.moescope.model.recording.AtlasShape;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * File → Import recording…: choose the recording files (all ranks of a dump together), then the recorded model's
 * config.json (dense layers, experts, top-k), which an Atlas recording may go without (it carries its own); the import runs in the background with the status bar's progress and
 * Cancel, and opens like a trace. FX thread.
 */
final class RecordingActions {

    private final Explorer explorer;
    private final Supplier<Window> window;

    RecordingActions(Explorer explorer, Supplier<Window> window) {
        this.explorer = explorer;
        this.window = window;
    }

    void importRecording() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import routing recorded by SGLang, vLLM or other tools (all ranks of a dump together)");
        chooser.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter(
                                "Recordings (*.pt, *.npy, *.npz, *.json, *.jsonl, *.csv, *.pkl)",
                                "*.pt",
                                "*.npy",
                                "*.npz",
                                "*.json",
                                "*.jsonl",
                                "*.csv",
                                "*.pkl"),
                        new FileChooser.ExtensionFilter("All files", "*"));
        List<File> files = chooser.showOpenMultipleDialog(window.get());
        if (files == null || files.isEmpty()) {
            return;
        }
        List<Path> paths = files.stream()
                .map(File::toPath)
                // SGLang names dumps by time (expert_distribution_recorder_<unix time>.pt): name order is the
                // order of the windows
                .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
        if (carriesItsShape(paths)) {
            Optional<ButtonType> answer = askConfig(paths);
            if (answer.isPresent() && answer.get() == AS_IS) {
                open(explorer.engine, explorer.loadWindows, paths, null);
            }
            if (answer.isEmpty() || answer.get() != CHOOSE) {
                return;
            }
        }
        FileChooser config = new FileChooser();
        config.setTitle("The recorded model's config.json (no weights needed)");
        config.getExtensionFilters().add(new FileChooser.ExtensionFilter("Model config", "*.json"));
        config.setInitialDirectory(files.get(0).getAbsoluteFile().getParentFile());
        File cfg = config.showOpenDialog(window.get());
        if (cfg != null) {
            open(explorer.engine, explorer.loadWindows, paths, cfg.toPath());
        }
    }

    private static final ButtonType AS_IS = new ButtonType("Import as it is", ButtonBar.ButtonData.OK_DONE);
    private static final ButtonType CHOOSE = new ButtonType("Choose config.json…", ButtonBar.ButtonData.OTHER);

    /** True if every file starts like an Atlas recording, which carries its own layers, experts and top-k. */
    static boolean carriesItsShape(List<Path> files) {
        try {
            return AtlasShape.looksLikeAll(files);
        } catch (IOException e) {
            return false; // the import names the file it cannot read
        }
    }

    /** An Atlas recording: import it with the shape it carries ({@link #AS_IS}), or {@link #CHOOSE} a config.json. */
    private Optional<ButtonType> askConfig(List<Path> files) {
        Alert ask = new Alert(
                Alert.AlertType.CONFIRMATION,
                "This MoE Routing Atlas recording carries its MoE layers, experts and top-k. Import it as it is, or "
                        + "choose the recorded model's config.json (dense layers after the last MoE layer, shared "
                        + "experts, and a tokenizer.json beside it for the text)?",
                AS_IS,
                CHOOSE,
                ButtonType.CANCEL);
        ask.setHeaderText("Import " + RecordingRun.label(files));
        ask.initOwner(window.get());
        return ask.showAndWait();
    }

    /** The import itself, without the choosers (tests call it). */
    static CompletableFuture<Run> open(EngineViewModel engine, List<Path> files, Path config) {
        return open(engine, null, files, config);
    }

    /** As above, with the recording's count windows given to the Expert load tab's time slider. */
    static CompletableFuture<Run> open(
            EngineViewModel engine, LoadWindowsViewModel windows, List<Path> files, Path config) {
        String label = RecordingRun.label(files);
        return engine.openBuilt(label, "Cannot import the recording", (cancelled, progress) -> {
            RecordingRun.Imported in =
                    RecordingRun.read(files, config, new io.moescope.model.recording.ImportProgress() {
                        @Override
                        public void update(double fraction, long tokens) {
                            progress.update(
                                    (int) Math.round(fraction * 1000),
                                    1000,
                                    String.format(Locale.ROOT, "importing %s: %,d tokens", label, tokens));
                        }

                        @Override
                        public boolean cancelled() {
                            return cancelled.getAsBoolean();
                        }
                    });
            if (windows != null) {
                windows.register(in.run(), in.windows());
            }
            return new EngineViewModel.Built(
                    in.run(),
                    "recording · " + in.shape() + (in.summary().tokens() > 0 ? "" : " · counts only")
                            + " · no router scores");
        });
    }
}
