package io.moescope.viz.demo;

import io.moescope.viz.VizTheme;
import io.moescope.viz.bars.BarChartCanvas;
import io.moescope.viz.color.Palettes;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Visual check of the viz nodes: a token x column heatmap with legend and tag stripes, a bar chart
 * of how often each column was chosen, and a stacked view of several grids. Run from the IDE, or
 * headless through {@code DemoScreenshotTest} to write a PNG.
 */
public class HeatmapDemo extends Application {

    static final double WIDTH = 1400;
    static final double HEIGHT = 860;

    /** The demo content; FX thread. */
    static Parent buildContent() {
        HeatmapSnapshot routing = DemoData.routing(40, 16, 12, 7);

        HeatmapCanvas heatmap = new HeatmapCanvas();
        heatmap.setSnapshot(routing);
        heatmap.setColorScale(Palettes.viridis());
        ColorLegend legend = new ColorLegend();
        legend.setTitle("weight");
        legend.colorScaleProperty().bind(heatmap.colorScaleProperty());
        legend.setRange(routing.min(), routing.max());
        HBox.setHgrow(heatmap, Priority.ALWAYS);
        HBox grid = new HBox(8, heatmap, legend);
        VBox.setVgrow(grid, Priority.ALWAYS);

        BarChartCanvas bars = new BarChartCanvas();
        bars.setReferenceLabel("mean");
        bars.setBars(DemoData.load(routing));
        bars.setPrefHeight(170);

        VBox left = new VBox(
                6,
                title("tokens x columns (top 2 outlined, stripe = prompt / generated)"),
                grid,
                title("times chosen per column (busiest highlighted, dashed = mean)"),
                bars);
        HBox.setHgrow(left, Priority.ALWAYS);

        HeatmapCanvas stacked = new HeatmapCanvas();
        stacked.setStacked(DemoData.layers(6, 24, 16));
        stacked.setColorScale(Palettes.magma());
        stacked.setMaxRowHeight(6);
        stacked.setPrefWidth(440);
        VBox.setVgrow(stacked, Priority.ALWAYS);
        VBox right = new VBox(6, title("stacked grids (magma, follow tail)"), stacked);

        HBox columns = new HBox(16, left, right);
        BorderPane root = new BorderPane(columns);
        root.setPadding(new Insets(12));
        root.setStyle("-fx-background-color: -viz-background;");
        return root;
    }

    private static Label title(String text) {
        Label label = new Label(text);
        label.setStyle("-fx-text-fill: -viz-text; -fx-font-weight: bold;");
        return label;
    }

    /** A scene with the viz stylesheet and a theme applied. */
    static Scene buildScene(VizTheme theme) {
        Parent content = buildContent();
        Scene scene = new Scene(content, WIDTH, HEIGHT);
        scene.getStylesheets().add(VizTheme.stylesheet());
        theme.applyTo(content);
        return scene;
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("viz demo");
        stage.setScene(buildScene(VizTheme.DARK));
        stage.show();
    }

    public static void main(String[] args) {
        launch(args);
    }
}
