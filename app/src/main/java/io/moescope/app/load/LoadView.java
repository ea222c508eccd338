package io.moescope.app.load;

import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import io.moescope.viz.bars.BarChartCanvas;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.fx.FxThrottle;
import io.moescope.viz.fx.TextTableRows;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** Expert load: layers × experts heatmap, the per-layer balance table and the selected layer's bars. */
public final class LoadView implements ChartView {

    /**
     * While tokens stream, the heatmap and bars repaint at most this often: every count changes with every token,
     * and redrawing the whole grid each frame bought nothing a reader sees at the cost of a tenth of each frame.
     */
    static final Duration LIVE_REFRESH = Duration.millis(100);

    private final BorderPane root = new BorderPane();
    private final LoadViewModel viewModel;
    private final HeatmapCanvas heatmap = new HeatmapCanvas();
    private final BarChartCanvas bars = new BarChartCanvas();
    private final TableView<TextTableRows.Row> table = new TableView<>();

    public LoadView(LoadViewModel viewModel, Workspace workspace) {
        this.viewModel = viewModel;
        heatmap.setId("load-heatmap");
        FxThrottle.follow(viewModel.heatmapProperty(), heatmap.snapshotProperty(), LIVE_REFRESH);
        heatmap.colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
        heatmap.setMaxRowHeight(40);
        ColorLegend legend = new ColorLegend();
        legend.colorScaleProperty().bind(heatmap.colorScaleProperty());
        viewModel.heatmapProperty().addListener((obs, o, s) -> legend.setRange(s.min(), s.max()));
        legend.titleProperty()
                .bind(javafx.beans.binding.Bindings.when(viewModel.sharesProperty())
                        .then("share")
                        .otherwise("count"));
        ToggleGroup group = new ToggleGroup();
        ToggleButton counts = new ToggleButton("Counts");
        ToggleButton shares = new ToggleButton("Shares");
        counts.setToggleGroup(group);
        shares.setToggleGroup(group);
        counts.setSelected(true);
        shares.selectedProperty().bindBidirectional(viewModel.sharesProperty());
        Label hint = new Label("How often each expert was chosen, per MoE layer. Balance: max/mean (1 = even), "
                + "CV, entropy / ln E (1 = even), dead = never chosen.");
        hint.getStyleClass().add("hint");
        counts.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        shares.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox top = new HBox(8, counts, shares, hint);
        HBox.setHgrow(hint, javafx.scene.layout.Priority.ALWAYS);
        bars.setId("load-bars");
        FxThrottle.follow(viewModel.barsProperty(), bars.barsProperty(), LIVE_REFRESH);
        bars.setReferenceLabel("mean");
        Label barsTitle = new Label();
        barsTitle.getStyleClass().add("section");
        // follow the bars, not the workspace: the view model refreshes only while the tab is shown
        viewModel
                .barsProperty()
                .addListener((obs, o, n) -> barsTitle.setText(
                        "Layer " + viewModel.barsLayer() + ": choices per expert (busiest highlighted)"));
        buildTable();
        VBox barsBox = new VBox(4, barsTitle, bars);
        VBox.setVgrow(bars, javafx.scene.layout.Priority.ALWAYS);
        SplitPane bottom = new SplitPane(table, barsBox);
        bottom.setDividerPositions(0.5);
        BorderPane heat = new BorderPane(heatmap);
        heat.setRight(legend);
        SplitPane split = new SplitPane(heat, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        root.setTop(top);
        root.setCenter(split);
        root.setPadding(new Insets(6));
        BorderPane.setMargin(top, new Insets(0, 0, 6, 0));
    }

    /** A strip under the tab (an imported recording's time slider), laid out only while it is visible. */
    public void setOverTime(Node strip) {
        root.setBottom(strip);
    }

    private void buildTable() {
        table.setId("balance-table");
        List<String> titles = List.of("Layer", "Choices", "Max/mean", "CV", "Entropy", "Dead");
        table.setItems(
                new TextTableRows<>(viewModel.balance(), titles.size(), LoadView::cells, FxThrottle.READABLE).rows());
        table.setFixedCellSize(22); // rows of one text line; spares the table measuring every row on every refresh
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        for (int c = 0; c < titles.size(); c++) {
            table.getColumns().add(TextTableRows.column(titles.get(c), c));
        }
        table.setPlaceholder(new Label("No routing yet"));
    }

    private static List<String> cells(LayerBalance b) {
        return List.of(
                String.valueOf(b.layer()),
                String.valueOf(b.choices()),
                String.format(Locale.ROOT, "%.2f", b.maxOverMean()),
                String.format(Locale.ROOT, "%.2f", b.cv()),
                String.format(Locale.ROOT, "%.3f", b.entropy()),
                String.valueOf(b.dead()));
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String title() {
        return "Expert load";
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
        SvgExport.writeHeatmap(viewModel.heatmapProperty().get(), heatmap.getColorScale(), target);
    }
}
