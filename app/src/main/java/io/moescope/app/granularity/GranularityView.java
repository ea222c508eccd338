package io.moescope.app.granularity;

import io.moescope.app.view.ChartView;
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
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;

/**
 * Fine-grained vs coarse experts side by side (thin view over {@link GranularityViewModel}): per model the
 * validation loss per domain, JS specialisation per layer, gate weight per rank, and the routing of the prompt's
 * tokens in one MoE layer with its expert combinations.
 */
public final class GranularityView implements ChartView {

    private final VBox root = new VBox(6);
    private final GranularityViewModel viewModel;
    private final Side fine = new Side(true);
    private final Side coarse = new Side(false);
    private final Label layerName = new Label();

    public GranularityView(GranularityViewModel viewModel) {
        this.viewModel = viewModel;
        TextArea prompt = new TextArea();
        prompt.setId("granularity-prompt");
        prompt.setPrefRowCount(2);
        prompt.setWrapText(true);
        prompt.textProperty().bindBidirectional(viewModel.promptProperty());
        HBox.setHgrow(prompt, Priority.ALWAYS);
        Button run = new Button("Run on both models");
        run.setId("granularity-run");
        run.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        run.setOnAction(e -> viewModel.run());
        Spinner<Integer> layer = new Spinner<>(0, 64, 0);
        layer.setId("granularity-layer");
        layer.setPrefWidth(70);
        layer.valueProperty()
                .addListener((obs, o, n) -> viewModel.layerProperty().set(n));
        viewModel
                .layerProperty()
                .addListener((obs, o, n) -> layer.getValueFactory().setValue(n.intValue()));
        VBox controls = new VBox(4, run, new HBox(4, new Label("MoE layer"), layer), layerName);
        HBox top = new HBox(8, prompt, controls);
        top.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("granularity-status");
        status.getStyleClass().add("section");
        status.textProperty().bind(viewModel.statusProperty());
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(3);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        grid.getColumnConstraints().addAll(half, half);
        fine.place(grid, 0);
        coarse.place(grid, 1);
        for (int r = 0; r < Side.ROWS; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setVgrow(r == Side.HEATMAP_ROW ? Priority.ALWAYS : Priority.NEVER);
            grid.getRowConstraints().add(rc);
        }
        VBox.setVgrow(grid, Priority.ALWAYS);
        root.getChildren().addAll(top, status, grid);
        root.setPadding(new Insets(6));
        viewModel.reportProperty().addListener((obs, o, n) -> refresh());
        viewModel.layerProperty().addListener((obs, o, n) -> refresh());
        refresh();
    }

    private void refresh() {
        int l = viewModel.decoderLayer();
        layerName.setText(l < 0 ? "" : "decoder layer " + l);
        fine.refresh();
        coarse.refresh();
    }

    /** One column: title, three bar charts, the routing heatmap and the combination line. */
    private final class Side {
        static final int ROWS = 9;
        static final int HEATMAP_ROW = 7;
        private final boolean isFine;
        private final Label title = new Label();
        private final BarChartCanvas loss = new BarChartCanvas();
        private final BarChartCanvas js = new BarChartCanvas();
        private final BarChartCanvas ranks = new BarChartCanvas();
        private final HeatmapCanvas routing = new HeatmapCanvas();
        private final Label combinations = new Label();

        Side(boolean isFine) {
            this.isFine = isFine;
            String id = isFine ? "fine" : "coarse";
            title.getStyleClass().add("section");
            title.setId(id + "-title");
            loss.setId(id + "-loss");
            js.setId(id + "-js");
            ranks.setId(id + "-ranks");
            routing.setId(id + "-routing");
            combinations.setId(id + "-combinations");
            combinations.setWrapText(true);
            for (BarChartCanvas b : new BarChartCanvas[] {loss, js, ranks}) {
                b.setPrefHeight(80);
                b.setMinHeight(60);
            }
            routing.setColorScale(Palettes.viridis());
            routing.setPrefHeight(220);
            routing.setMinHeight(120);
        }

        void place(GridPane grid, int col) {
            grid.add(title, col, 0);
            grid.add(hint("Validation loss per domain (nats/token, held-out text; lower is better)"), col, 1);
            grid.add(loss, col, 2);
            grid.add(hint("Specialisation: mean Jensen–Shannon divergence per MoE layer (bits)"), col, 3);
            grid.add(js, col, 4);
            grid.add(
                    new VBox(2, hint("Share of the gate weight by rank of the chosen expert (this prompt)"), ranks),
                    col,
                    5);
            grid.add(hint("Routing of the same tokens: gate weight of each chosen expert (outlined)"), col, 6);
            grid.add(routing, col, HEATMAP_ROW);
            grid.add(combinations, col, 8);
        }

        void refresh() {
            title.setText(viewModel.title(isFine));
            loss.setBars(viewModel.loss(isFine));
            js.setBars(viewModel.js(isFine));
            ranks.setBars(viewModel.rankShares(isFine));
            routing.setSnapshot(viewModel.routing(isFine));
            combinations.setText(viewModel.combinations(isFine));
        }

        private static Label hint(String text) {
            Label l = new Label(text);
            l.getStyleClass().add("hint");
            return l;
        }
    }

    @Override
    public String name() {
        return "granularity";
    }

    @Override
    public String title() {
        return "Fine vs coarse";
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
        SvgExport.writeBars(viewModel.rankShares(true), SvgExport.BAR_RGB, SvgExport.HIGHLIGHT_RGB, target);
    }
}
