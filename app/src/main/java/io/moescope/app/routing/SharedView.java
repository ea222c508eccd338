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

/** Shared vs routed: tokens × layers, diverging blue (routed dominates) – white – orange (shared dominates). */
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
            return t == null ? "" : String.format(Locale.ROOT, "token %d '%s'%n%s%n%s %.4f", t.position(),
                    RoutingHeatmaps.printable(t.label()), cell.colLabel(),
                    viewModel.showGateProperty().get() ? "shared gate" : "shared share", cell.value());
        });
        heatmap.setOnCellClicked(cell -> {
            TokenTrace t = viewModel.tokenAt(cell.row());
            if (t != null) {
                workspace.selectedPositionProperty().set(t.position());
            }
        });
        ColorLegend legend = new ColorLegend();
        legend.setColorScale(Palettes.blueOrange());
        legend.setTitle("shared");
        CheckBox gate = new CheckBox("Show Qwen's sigmoid shared gate instead");
        gate.selectedProperty().bindBidirectional(viewModel.showGateProperty());
        gate.disableProperty().bind(viewModel.hasGateProperty().not());
        Label hint = new Label();
        hint.getStyleClass().add("hint");
        hint.textProperty().bind(javafx.beans.binding.Bindings.when(viewModel.hasSharedProperty())
                .then("Share of each MoE layer's output norm that comes from the shared experts: "
                        + "|shared| / (|shared| + |routed|). 0.5 = equal.")
                .otherwise("This model has no shared experts: the share is 0 everywhere."));
        gate.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox top = new HBox(16, hint, gate);
        HBox.setHgrow(hint, javafx.scene.layout.Priority.ALWAYS);
        root.setTop(top);
        root.setCenter(heatmap);
        root.setRight(legend);
        root.setPadding(new Insets(6));
        BorderPane.setMargin(top, new Insets(0, 0, 6, 0));
    }

    @Override public String name() { return "shared"; }
    @Override public String title() { return "Shared vs routed"; }
    @Override public Node root() { return root; }
    @Override public boolean hasSvg() { return true; }

    @Override
    public void writeSvg(Path target) throws IOException {
        SvgExport.writeHeatmap(viewModel.heatmapProperty().get(), Palettes.blueOrange(), target);
    }
}
