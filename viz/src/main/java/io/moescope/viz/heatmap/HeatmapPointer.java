package io.moescope.viz.heatmap;

import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.util.Duration;

/** Mouse handling for a {@link HeatmapCanvas}: hover, tooltip, click and wheel scrolling. FX thread. */
final class HeatmapPointer {

    private final HeatmapCanvas heatmap;
    private Tooltip tooltip; // made on the first hover: a tooltip is a popup window, costly to create at start
    private boolean tooltipInstalled;

    HeatmapPointer(HeatmapCanvas heatmap) {
        this.heatmap = heatmap;
        heatmap.addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        heatmap.addEventHandler(MouseEvent.MOUSE_EXITED, event -> setHovered(null));
        heatmap.addEventHandler(MouseEvent.MOUSE_CLICKED, this::click);
        heatmap.addEventHandler(ScrollEvent.SCROLL, this::scroll);
    }

    private void hover(MouseEvent event) {
        setHovered(heatmap.cellAt(event.getX(), event.getY()).orElse(null));
    }

    private void setHovered(HeatmapCell cell) {
        heatmap.hoveredCell.set(cell);
        if (cell == null) {
            if (tooltipInstalled) {
                Tooltip.uninstall(heatmap, tooltip);
                tooltipInstalled = false;
            }
            return;
        }
        if (tooltip == null) {
            tooltip = new Tooltip();
            tooltip.setShowDelay(Duration.millis(150));
            tooltip.setHideDelay(Duration.ZERO);
        }
        tooltip.setText(heatmap.tooltipFormatter().apply(cell));
        if (!tooltipInstalled) {
            Tooltip.install(heatmap, tooltip);
            tooltipInstalled = true;
        }
    }

    private void click(MouseEvent event) {
        if (event.getButton() != MouseButton.PRIMARY || !event.isStillSincePress()) {
            return;
        }
        heatmap.cellAt(event.getX(), event.getY()).ifPresent(cell -> {
            heatmap.clickedCell.set(cell);
            heatmap.cellClickHandler().accept(cell);
        });
    }

    private void scroll(ScrollEvent event) {
        if (event.getDeltaY() != 0) {
            heatmap.scrollBy(-event.getDeltaY());
            event.consume();
        }
    }

    void dispose() {
        if (tooltipInstalled) {
            Tooltip.uninstall(heatmap, tooltip);
            tooltipInstalled = false;
        }
    }
}
