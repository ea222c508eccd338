package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.viz.color.Palettes;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/**
 * Always-on vs routed: tokens × decoder layers, diverging blue (routed dominates) – white – orange (the always-on
 * part dominates); the legend names the always-on parts and where they are.
 */
public final class SharedView implements ChartView {

    private final BorderPane root = new BorderPane();
    private final HeatmapCanvas heatmap = new HeatmapCanvas();
    private final SharedViewModel viewModel;

    public SharedView(SharedViewModel viewModel, Workspace workspace) {
        this.viewModel = viewModel;
        heatmap.setId("shared-heatmap");
        heatmap.rowTagColorsProperty().set(RoutingHeatmaps.TAG_COLORS);
        heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
        heatmap.setColorScale(Palettes.blueOrange());
        heatmap.setTooltipFormatter(cell -> {
            TokenTrace t = viewModel.tokenAt(cell.row());
            return t == null
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            "token %d '%s'%n%s%n%s %.4f",
                            t.position(),
                            RoutingHeatmaps.printable(t.label()),
                            cell.colLabel(),
                            viewModel.showGateProperty().get() ? "shared-expert gate" : "always-on share",
                            cell.value());
        });
        heatmap.setOnCellClicked(cell -> {
            TokenTrace t = viewModel.tokenAt(cell.row());
            if (t != null) {
                workspace.selectedPositionProperty().set(t.position());
            }
        });
        ColorLegend legend = new ColorLegend();
        legend.setColorScale(Palettes.blueOrange());
        legend.setTitle("always-on");
        CheckBox gate = new CheckBox("Show the sigmoid shared-expert gate instead");
        gate.selectedProperty().bindBidirectional(viewModel.showGateProperty());
        gate.disableProperty().bind(viewModel.hasGateProperty().not());
        Label hint = new Label();
        hint.getStyleClass().add("hint");
        hint.textProperty()
                .bind(javafx.beans.binding.Bindings.when(viewModel.hasSharedProperty())
                        .then(
                                "Share of each layer's FFN output that is always on: |always-on| / (|always-on| + |routed|); "
                                        + "0.5 = equal, a dense layer is 1.")
                        .otherwise("No MoE layer has an always-on part: the share is 0 there (dense layers are 1)."));
        Label parts = new Label();
        parts.setId("always-on-legend");
        parts.textProperty().bind(javafx.beans.binding.Bindings.concat("Always on — ", viewModel.legendProperty()));
        parts.setWrapText(true);
        gate.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox top = new HBox(16, hint, gate);
        HBox.setHgrow(hint, javafx.scene.layout.Priority.ALWAYS);
        root.setTop(new javafx.scene.layout.VBox(
                4, GateView.notice("shared-no-contributions", viewModel.noticeProperty()), top, parts));
        root.setCenter(heatmap);
        root.setRight(legend);
        root.setPadding(new Insets(6));
        BorderPane.setMargin(root.getTop(), new Insets(0, 0, 6, 0));
    }

    @Override
    public String name() {
        return "shared";
    }

    @Override
    public String title() {
        return "Always-on vs routed";
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
        SvgExport.writeHeatmap(viewModel.heatmapProperty().get(), Palettes.blueOrange(), target);
    }
}
