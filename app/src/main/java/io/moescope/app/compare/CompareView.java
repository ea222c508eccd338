package io.moescope.app.compare;

import io.moescope.app.inspect.InspectorView;
import io.moescope.app.intervention.InterventionViewModel;
import io.moescope.app.prompt.PromptViewModel;
import io.moescope.app.view.ChartView;
import io.moescope.model.api.Intervention;
import io.moescope.viz.bars.BarChartCanvas;
import io.moescope.viz.color.Palettes;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Interventions and comparison: A (primary) vs B (intervened or second prompt), token-aligned. */
public final class CompareView implements ChartView {

    private final VBox root = new VBox(6);
    private final CompareViewModel viewModel;
    private final BarChartCanvas bars = new BarChartCanvas();

    public CompareView(CompareViewModel viewModel, InterventionViewModel interventions, PromptViewModel prompt) {
        this.viewModel = viewModel;
        Label iv = new Label();
        iv.setId("intervention-summary");
        iv.textProperty().bind(interventions.summaryProperty().concat("").map(s -> "Intervention: " + s));
        Spinner<Integer> topK = new Spinner<>(0, 256, 0);
        topK.setPrefWidth(80);
        topK.setTooltip(new javafx.scene.control.Tooltip("Experts per token in every MoE layer; 0 = the model's own"));
        topK.valueProperty().addListener((obs, o, k) -> interventions.setTopK(k));
        CheckBox alwaysOnOff = new CheckBox("Always-on parts off");
        alwaysOnOff.setId("always-on-off");
        alwaysOnOff.setTooltip(new javafx.scene.control.Tooltip("Switch off what runs on every token: shared experts "
                + "(gated or not), a parallel dense MLP, and the whole FFN of dense layers. The summary says which."));
        alwaysOnOff.selectedProperty().addListener((obs, o, off) -> interventions.setAlwaysOnOff(off));
        Button clear = new Button("Clear");
        clear.setOnAction(e -> {
            interventions.clear();
            topK.getValueFactory().setValue(0);
            alwaysOnOff.setSelected(false);
        });
        interventions.interventionProperty().addListener((obs, o, n) -> {
            if (n == Intervention.NONE) {
                alwaysOnOff.setSelected(false);
            }
        });
        Button rerun = new Button("Re-run with intervention");
        rerun.setId("rerun");
        rerun.setDefaultButton(false);
        rerun.setOnAction(e -> interventions.rerun());
        Label topKLabel = new Label("Top-k");
        for (javafx.scene.layout.Region r :
                new javafx.scene.layout.Region[] {topKLabel, topK, alwaysOnOff, clear, rerun}) {
            r.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the summary label gives way instead
        }
        iv.setMinWidth(0);
        HBox ivRow = new HBox(8, topKLabel, topK, alwaysOnOff, clear, rerun, iv);
        ivRow.setAlignment(Pos.CENTER_LEFT);
        TextField promptB = new TextField();
        promptB.setPromptText("…or compare with a second prompt");
        HBox.setHgrow(promptB, Priority.ALWAYS);
        Button runB = new Button("Run prompt B");
        runB.setOnAction(e -> prompt.generate(promptB.getText(), Intervention.NONE, true, "prompt B"));
        runB.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox bRow = new HBox(8, promptB, runB);
        Label summary = new Label();
        summary.setId("compare-summary");
        summary.getStyleClass().add("section");
        summary.textProperty().bind(viewModel.summaryProperty());
        GridPane sides = new GridPane();
        sides.setHgap(8);
        sides.setVgap(4);
        sides.add(label(viewModel.labelAProperty()), 0, 0);
        sides.add(label(viewModel.labelBProperty()), 1, 0);
        sides.add(text(viewModel.textAProperty()), 0, 1);
        sides.add(text(viewModel.textBProperty()), 1, 1);
        Label nextCaption = new Label();
        nextCaption.textProperty().bind(viewModel.nextCaptionProperty());
        sides.add(nextCaption, 0, 2, 2, 1);
        sides.add(list(viewModel, true), 0, 3);
        sides.add(list(viewModel, false), 1, 3);
        javafx.scene.layout.ColumnConstraints half = new javafx.scene.layout.ColumnConstraints();
        half.setPercentWidth(50);
        sides.getColumnConstraints().addAll(half, half);
        bars.setId("jaccard-bars");
        bars.barsProperty().bind(viewModel.barsProperty());
        bars.setPrefHeight(130);
        HeatmapCanvas heatmap = new HeatmapCanvas();
        heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
        heatmap.setColorScale(Palettes.viridis());
        heatmap.setPrefHeight(160);
        Label barsTitle = new Label("Per-layer expert-set overlap (Jaccard, 1 = same experts; first divergent layer "
                + "highlighted) and per position × layer below");
        barsTitle.getStyleClass().add("hint");
        VBox.setVgrow(heatmap, Priority.ALWAYS);
        root.getChildren().addAll(ivRow, bRow, summary, sides, barsTitle, bars, heatmap);
        root.setPadding(new Insets(6));
    }

    private static Label label(javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.getStyleClass().add("section");
        l.textProperty().bind(text);
        return l;
    }

    private static TextArea text(javafx.beans.value.ObservableValue<String> text) {
        TextArea area = new TextArea();
        area.setEditable(false);
        area.setWrapText(true);
        area.setPrefRowCount(4);
        area.textProperty().bind(text);
        return area;
    }

    private static ListView<String> list(CompareViewModel vm, boolean a) {
        ListView<String> list = new ListView<>();
        list.setId(a ? "next-a" : "next-b");
        list.setPrefHeight(150);
        (a ? vm.nextAProperty() : vm.nextBProperty())
                .addListener((obs, o, n) -> list.getItems().setAll(InspectorView.format(n)));
        return list;
    }

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String title() {
        return "Interventions & compare";
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
        SvgExport.writeBars(viewModel.barsProperty().get(), SvgExport.BAR_RGB, SvgExport.HIGHLIGHT_RGB, target);
    }
}
