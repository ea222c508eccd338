package io.moescope.app.window;

import io.moescope.app.export.Exporter;
import io.moescope.app.report.ReportFiles;
import io.moescope.app.session.Problem;
import io.moescope.model.diagnosis.DiagnosisReport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The Diagnosis tab's commands that need the window: corpus chooser, report and CSV save dialogs. FX thread. */
final class DiagnosisActions {

    private final Explorer explorer;
    private final Supplier<Window> window;
    private final ErrorDialogs dialogs;

    DiagnosisActions(Explorer explorer, Supplier<Window> window, ErrorDialogs dialogs) {
        this.explorer = explorer;
        this.window = window;
        this.dialogs = dialogs;
        explorer.diagnosisView.setActions(this::diagnoseCorpus, this::saveReport, this::exportCsv);
        explorer.diagnosisView.setPlacementExport(this::exportPlacement);
    }

    /** Chooses .txt / .jsonl corpus files and diagnoses them with the open model in the background. */
    void diagnoseCorpus() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Diagnose a corpus (each file is one domain)");
        chooser.getExtensionFilters()
                .add(new FileChooser.ExtensionFilter("Corpus (text, JSON Lines)", "*.txt", "*.jsonl"));
        List<File> files = chooser.showOpenMultipleDialog(window.get());
        if (files != null && !files.isEmpty()) {
            explorer.corpusRun.start(files.stream().map(File::toPath).toList());
        }
    }

    /** Writes the shown report as {@code moescope diagnose} does; an existing directory needs a confirmation. */
    void saveReport() {
        DiagnosisReport report = explorer.diagnosis.getReport();
        if (report == null) {
            dialogs.report(
                    "Nothing to save", "There is no diagnosis yet: generate, open a trace or diagnose a corpus.");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the diagnosis report (a new directory)");
        chooser.setInitialFileName("moescope-report");
        File file = chooser.showSaveDialog(window.get());
        if (file == null) {
            return;
        }
        Path out = file.toPath();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            dialogs.report(
                    Problem.of("Cannot save the report", out.toAbsolutePath() + ": exists and is not a directory"));
            return;
        }
        boolean force = false;
        if (Files.isDirectory(out)) {
            if (!dialogs.confirm(
                    "Overwrite the report?",
                    out + " already exists. Overwrite its report " + "files (report.json, CSV, PNG, report.html)?")) {
                return;
            }
            force = true;
        }
        boolean overwrite = force;
        CompletableFuture.runAsync(() -> {
                    try {
                        ReportFiles.write(report, out, overwrite);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                })
                .whenComplete((x, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        dialogs.report("Cannot save the report", out, failure);
                    } else {
                        dialogs.info("Saved " + out.resolve("report.html"));
                    }
                }));
    }

    void exportCsv() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the diagnosis table");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV table", "*.csv"));
        chooser.setInitialFileName("diagnosis-layers.csv");
        File file = chooser.showSaveDialog(window.get());
        if (file == null) {
            return;
        }
        try {
            Exporter.text(explorer.diagnosis.charts().csv(), file.toPath());
            Path placement = file.toPath().resolveSibling(file.getName().replaceFirst("(\\.csv)?$", "-placement.csv"));
            Exporter.text(explorer.diagnosis.charts().placementCsv(), placement);
            dialogs.info("Saved " + file + " and " + placement.getFileName());
        } catch (java.io.IOException | RuntimeException e) {
            dialogs.report("Cannot save " + file.getName(), file.toPath(), e);
        }
    }

    /** The placement what-if's EPLB plan as the file SGLang's --init-expert-location reads (.pt or JSON). */
    void exportPlacement() {
        DiagnosisReport report = explorer.diagnosis.getReport();
        io.moescope.model.trace.ModelShape shape =
                explorer.workspace.primaryView().shape();
        if (report == null || shape == null) {
            dialogs.report(
                    "Nothing to plan", "There is no diagnosis yet: import a recording, open a trace or generate.");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the EPLB placement for SGLang --init-expert-location");
        chooser.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter("torch file", "*.pt"),
                        new FileChooser.ExtensionFilter("JSON", "*.json"));
        chooser.setInitialFileName("expert-location.pt");
        File file = chooser.showSaveDialog(window.get());
        if (file == null) {
            return;
        }
        var p = explorer.diagnosis.placement();
        try {
            io.moescope.app.recording.PlacementExport.write(
                    report,
                    shape,
                    p.gpusProperty().get(),
                    p.nodesProperty().get(),
                    p.replicasProperty().get(),
                    file.toPath());
            dialogs.info("Saved " + file + " (" + p.gpusProperty().get() + " GPUs, "
                    + p.replicasProperty().get() + " redundant experts)");
        } catch (java.io.IOException | RuntimeException e) {
            dialogs.report("Cannot save " + file.getName(), file.toPath(), e);
        }
    }
}
