package io.moescope.app.recording;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.Workspace;
import io.moescope.app.view.Palette;
import io.moescope.viz.bars.BarChartCanvas;
import io.moescope.viz.heatmap.HeatmapCanvas;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The time slider under the Expert load tab of an imported recording with several count windows: a slider over the
 * windows, their windows × experts heatmap for the toolbar's layer (the selected window's row stripe orange) and the
 * selected window's bars. Hidden (and not laid out) for anything else. FX thread.
 */
public final class LoadWindowsView {

    private final VBox root = new VBox(4);

    public LoadWindowsView(LoadWindowsViewModel viewModel, Workspace workspace) {
        root.setId("load-windows");
        Slider slider = new Slider(0, 1, 0);
        slider.setId("load-window-slider");
        slider.setBlockIncrement(1);
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setSnapToTicks(true);
        slider.setShowTickMarks(true);
        slider.maxProperty().bind(viewModel.windowsProperty().subtract(1));
        slider.valueProperty()
                .addListener((obs, o, n) -> viewModel.windowProperty().set((int) Math.round(n.doubleValue())));
        viewModel.windowProperty().addListener((obs, o, n) -> slider.setValue(n.intValue()));
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label title = new Label("Load over time");
        title.getStyleClass().add("section");
        Label summary = new Label();
        summary.setId("load-window-summary");
        summary.textProperty().bind(viewModel.summaryProperty());
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox top = new HBox(8, title, slider);
        top.setAlignment(Pos.CENTER_LEFT);
        HeatmapCanvas heatmap = new HeatmapCanvas();
        heatmap.setId("load-windows-heatmap");
        heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
        heatmap.colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
        heatmap.rowTagColorsProperty().set(RoutingHeatmaps.TAG_COLORS);
        heatmap.setMaxRowHeight(24);
        BarChartCanvas bars = new BarChartCanvas();
        bars.setId("load-window-bars");
        bars.barsProperty().bind(viewModel.barsProperty());
        bars.setReferenceLabel("mean");
        SplitPane split = new SplitPane(heatmap, bars);
        split.setDividerPositions(0.6);
        split.setPrefHeight(220);
        VBox.setVgrow(split, Priority.ALWAYS);
        Label hint = new Label("Rows: the recording's count windows in import order (one SGLang stat dump each, or "
                + "one per_pass forward pass); the slider picks the window the bars and figures show.");
        hint.getStyleClass().add("hint");
        root.getChildren().addAll(top, summary, split, hint);
        root.setPadding(new Insets(6, 0, 0, 0));
        root.visibleProperty().bind(viewModel.windowsProperty().greaterThan(1));
        root.managedProperty().bind(root.visibleProperty());
    }

    public Node root() {
        return root;
    }
}
