package io.moescope.app.routing;

import io.moescope.app.intervention.InterventionViewModel;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.fx.FxThrottle;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.util.Duration;

/** Gate probabilities: tokens × experts heatmap, chosen experts outlined; right-click to intervene. */
public final class GateView implements ChartView {

    private final BorderPane root = new BorderPane();
    private final HeatmapCanvas heatmap = new HeatmapCanvas();
    private final GateViewModel viewModel;

    public GateView(GateViewModel viewModel, Workspace workspace, InterventionViewModel interventions) {
        this.viewModel = viewModel;
        heatmap.setId("gate-heatmap");
        heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
        // all layers stacked: every visible row of every layer is repainted when rows arrive, so at most every
        // other frame; the single-layer view draws only its new rows and follows every frame
        FxThrottle.follow(viewModel.stackedProperty(), heatmap.stackedProperty(), Duration.millis(33));
        heatmap.colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
        heatmap.setTooltipFormatter(cell -> viewModel.describe(cell.block(), cell.row(), cell.col()));
        heatmap.setOnCellClicked(cell -> {
            TokenTrace t = viewModel.tokenAt(cell.row());
            if (t != null) {
                workspace.selectedPositionProperty().set(t.position());
            }
        });
        ContextMenu menu = new ContextMenu();
        heatmap.setOnMouseClicked(e -> {
            if (e.getButton() != MouseButton.SECONDARY) {
                return;
            }
            heatmap.cellAt(e.getX(), e.getY()).ifPresent(cell -> {
                int layer = viewModel.decoderLayer(viewModel.layerOf(cell.block()));
                int expert = cell.col();
                MenuItem ablate = new MenuItem("Ablate expert " + expert + " in layer " + layer);
                ablate.setOnAction(a -> interventions.ablate(layer, expert));
                MenuItem force = new MenuItem("Force expert " + expert + " (only) in layer " + layer);
                force.setOnAction(a -> interventions.force(layer, expert));
                MenuItem rerun = new MenuItem("Re-run with the intervention (" + "compare tab)");
                rerun.setOnAction(a -> interventions.rerun());
                menu.getItems().setAll(ablate, force, rerun);
                menu.show(heatmap, e.getScreenX(), e.getScreenY());
            });
        });
        ColorLegend legend = new ColorLegend();
        legend.setTitle("gate p");
        legend.colorScaleProperty().bind(heatmap.colorScaleProperty());
        viewModel.heatmapProperty().addListener((obs, o, s) -> legend.setRange(s.min(), s.max()));
        heatmap.rowTagColorsProperty().set(RoutingHeatmaps.TAG_COLORS);
        Label hint = new Label("Rows: tokens (left stripe blue = prompt, orange = generated, grey = chat template). "
                + "Columns: experts. "
                + "Outlined: chosen. Hover for weights, click to inspect, right-click to ablate or force.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        root.setTop(new javafx.scene.layout.VBox(4, notice("gate-no-scores", viewModel.noticeProperty()), hint));
        root.setCenter(heatmap);
        root.setRight(legend);
        root.setPadding(new Insets(6));
        BorderPane.setMargin(hint, new Insets(0, 0, 6, 0));
    }

    /**
     * A tab's notice of what its source lacks (an imported recording): shown, and taking room, only while the
     * text is not empty. The Gate, Always-on and Walkthrough tabs use it.
     */
    public static Label notice(String id, javafx.beans.value.ObservableStringValue text) {
        Label notice = new Label();
        notice.setId(id);
        notice.setWrapText(true);
        notice.textProperty().bind(text);
        notice.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(text));
        notice.managedProperty().bind(notice.visibleProperty());
        return notice;
    }

    @Override
    public String name() {
        return "gate";
    }

    @Override
    public String title() {
        return "Gate probabilities";
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
        if (!viewModel.stackedProperty().get().isEmpty()) { // all layers: one titled block per layer
            SvgExport.writeStacked(viewModel.stackedProperty().get(), heatmap.getColorScale(), target);
        } else {
            SvgExport.writeHeatmap(viewModel.heatmapProperty().get(), heatmap.getColorScale(), target);
        }
    }

    public HeatmapCanvas heatmap() {
        return heatmap;
    }
}
