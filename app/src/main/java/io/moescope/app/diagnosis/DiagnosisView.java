package io.moescope.app.diagnosis;

import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.fx.TextTableRows;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** The Diagnosis tab: per-layer balance table, co-activation heatmap, placement what-if, capacity factor. */
public final class DiagnosisView implements ChartView {

    private final BorderPane root = new BorderPane();
    private final DiagnosisViewModel vm;
    private final HeatmapCanvas heatmap = new HeatmapCanvas();
    private final TableView<TextTableRows.Row> table = new TableView<>();
    private final PlacementPane placement;
    final Button corpus = new Button("Diagnose corpus…");
    final Button live = new Button("Back to live");
    final Button save = new Button("Save report…");
    final Button csv = new Button("Export CSV…");
    final Button placementOut = new Button("Export placement…");
    final Button cancel = new Button("Cancel");

    public DiagnosisView(DiagnosisViewModel vm, CorpusRunViewModel corpusRun, Workspace workspace) {
        this.vm = vm;
        DiagnosisCharts c = vm.charts();
        Label caption = new Label();
        caption.setId("diagnosis-caption");
        caption.textProperty()
                .bind(Bindings.when(corpusRun.runningProperty())
                        .then(corpusRun.statusProperty())
                        .otherwise(vm.captionProperty()));
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(corpusRun.progressProperty());
        progress.visibleProperty().bind(corpusRun.runningProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        cancel.visibleProperty().bind(corpusRun.runningProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> corpusRun.cancel());
        live.visibleProperty().bind(vm.corpusProperty());
        live.managedProperty().bind(live.visibleProperty());
        live.setOnAction(e -> vm.showLive());
        save.disableProperty().bind(vm.reportProperty().isNull());
        corpus.disableProperty().bind(corpusRun.runningProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(8, caption, progress, cancel, spacer, live, corpus, save, csv, placementOut);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox settings = new HBox(
                6,
                PlacementPane.label("Device-level loss D"),
                PlacementPane.spinner("diagnosis-devices", c.deviceChoices(), vm.devicesProperty()),
                PlacementPane.label("  Capacity factor C"),
                PlacementPane.spinner("diagnosis-capacity", c.factorChoices(), vm.capacityFactorProperty()));
        settings.setAlignment(Pos.CENTER_LEFT);
        Label hint = hint(
                "Hover a column header for its meaning; losses with α = 1 (uniform routing: Switch 1, " + "DS-exp k).");
        buildTable();
        VBox tableBox = new VBox(4, settings, table, hint);
        VBox.setVgrow(table, Priority.ALWAYS);
        heatmap.setId("diagnosis-coactivation");
        heatmap.snapshotProperty().bind(c.coactivationProperty());
        heatmap.colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
        ColorLegend legend = new ColorLegend();
        legend.colorScaleProperty().bind(heatmap.colorScaleProperty());
        c.coactivationProperty().addListener((obs, o, s) -> legend.setRange(s.min(), s.max()));
        Label heatTitle = new Label();
        heatTitle.getStyleClass().add("section");
        heatTitle
                .textProperty()
                .bind(Bindings.concat("Co-activation, ", c.layerTextProperty(), " (tokens per expert pair)"));
        BorderPane heat = new BorderPane(heatmap);
        heat.setTop(heatTitle);
        heat.setRight(legend);
        placement = new PlacementPane(vm);
        SplitPane bottom = new SplitPane(heat, placement);
        bottom.setDividerPositions(0.5);
        SplitPane split = new SplitPane(tableBox, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.42);
        root.setTop(top);
        root.setCenter(split);
        root.setPadding(new Insets(6));
        BorderPane.setMargin(top, new Insets(0, 0, 6, 0));
        root.setId("diagnosis-view");
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }

    private void buildTable() {
        table.setId("diagnosis-table");
        table.setStyle("-fx-font-size: 11px;");
        table.setItems(
                new TextTableRows<>(vm.charts().rows(), DiagnosisRow.HEADERS.size(), DiagnosisRow::cells, Duration.ZERO)
                        .rows());
        table.setFixedCellSize(20); // one text line per row: the table need not measure rows when figures change
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        for (int i = 0; i < DiagnosisRow.HEADERS.size(); i++) {
            int index = i;
            TableColumn<TextTableRows.Row, String> col = TextTableRows.column("", index);
            Label header = new Label(DiagnosisRow.SHORT.get(i));
            header.setTooltip(new javafx.scene.control.Tooltip(DiagnosisRow.TIPS.get(i)));
            col.setGraphic(header);
            col.setPrefWidth(Math.max(
                    i == 7 || i == 8 ? 64 : 54,
                    24 + 7 * DiagnosisRow.SHORT.get(i).length()));
            table.getColumns().add(col);
        }
        table.setPlaceholder(new Label("No routing yet: generate, open a trace, or diagnose a corpus"));
    }

    /** Wires the buttons to the window's commands (file choosers and dialogs live in the shell). */
    public void setActions(Runnable diagnoseCorpus, Runnable saveReport, Runnable exportCsv) {
        corpus.setOnAction(e -> diagnoseCorpus.run());
        save.setOnAction(e -> saveReport.run());
        csv.setOnAction(e -> exportCsv.run());
    }

    /** Wires "Export placement…" (the what-if's EPLB plan as SGLang's --init-expert-location file). */
    public void setPlacementExport(Runnable exportPlacement) {
        placementOut.setOnAction(e -> exportPlacement.run());
    }

    public HeatmapCanvas heatmap() {
        return heatmap;
    }

    @Override
    public String name() {
        return "diagnosis";
    }

    @Override
    public String title() {
        return "Diagnosis";
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public boolean hasSvg() {
        return true;
    }

    @Override
    public void writeSvg(Path target) throws IOException {
        SvgExport.writeHeatmap(vm.charts().coactivationProperty().get(), heatmap.getColorScale(), target);
    }
}
