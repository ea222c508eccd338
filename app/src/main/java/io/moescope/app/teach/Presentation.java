package io.moescope.app.teach;

import io.moescope.viz.heatmap.HeatmapCanvas;
import io.moescope.viz.heatmap.HeatmapCell;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.event.EventHandler;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;

/**
 * Presentation mode (F5): the selected tab's view alone, filling the window (full screen where the window is a
 * stage), no menu, toolbar, side panels or status bar; large fonts, thick marks and high contrast from
 * {@code teach.css} (the {@code presentation} style class on the window's root, in either theme); on a heatmap the
 * pointer's row and column are outlined. Esc (or F5 again) puts everything back.
 */
public final class Presentation {

    private final BorderPane window;
    private final TabPane tabs;
    private final ReadOnlyBooleanWrapper on = new ReadOnlyBooleanWrapper(this, "presenting");
    private final Pane overlay = new Pane();
    private final Rectangle row = band("presentation-row");
    private final Rectangle column = band("presentation-column");
    private final EventHandler<KeyEvent> keys = this::key;
    private final EventHandler<MouseEvent> pointer = this::pointer;
    private Node top;
    private Node left;
    private Node center;
    private Node right;
    private Node bottom;
    private Tab tab;
    private Node view;
    private StackPane stage;
    private final Node keep;
    private javafx.scene.layout.Pane keepParent;
    private int keepIndex;

    /**
     * @param window the window's root layout (the scene's root)
     * @param tabs   the tabs whose selected view is presented
     * @param keep   a panel that stays on screen below the view while it is visible (the lesson bar), or null
     */
    public Presentation(BorderPane window, TabPane tabs, Node keep) {
        this.window = Objects.requireNonNull(window, "window");
        this.tabs = Objects.requireNonNull(tabs, "tabs");
        this.keep = keep;
        overlay.setMouseTransparent(true);
        overlay.getChildren().addAll(row, column);
        overlay.setId("presentation-overlay");
    }

    /** The stylesheet of presentation mode (and of the walkthrough). */
    public static String stylesheet() {
        return Objects.requireNonNull(Presentation.class.getResource("/io/moescope/app/teach.css"))
                .toExternalForm();
    }

    public void toggle() {
        if (on.get()) {
            exit();
        } else {
            enter();
        }
    }

    public void enter() {
        tab = tabs.getSelectionModel().getSelectedItem();
        if (on.get() || tab == null || tab.getContent() == null || window.getScene() == null) {
            return;
        }
        top = window.getTop();
        left = window.getLeft();
        center = window.getCenter();
        right = window.getRight();
        bottom = window.getBottom();
        view = tab.getContent();
        tab.setContent(null);
        stage = new StackPane(view, overlay);
        stage.setId("presentation");
        stage.getStyleClass().add("presentation-stage");
        stage.addEventFilter(MouseEvent.MOUSE_MOVED, pointer);
        window.setTop(null);
        window.setLeft(null);
        window.setRight(null);
        window.setBottom(null);
        BorderPane presented = new BorderPane(stage);
        if (keep != null && keep.isVisible() && keep.getParent() instanceof javafx.scene.layout.Pane parent) {
            keepParent = parent;
            keepIndex = parent.getChildren().indexOf(keep);
            parent.getChildren().remove(keep);
            presented.setBottom(keep);
        }
        window.setCenter(presented);
        Scene scene = window.getScene();
        if (!scene.getStylesheets().contains(stylesheet())) {
            scene.getStylesheets().add(stylesheet());
        }
        window.getStyleClass().add("presentation");
        scene.addEventFilter(KeyEvent.KEY_PRESSED, keys);
        if (scene.getWindow() instanceof Stage s) {
            s.setFullScreenExitHint("");
            s.setFullScreen(true);
        }
        on.set(true);
        view.requestFocus();
    }

    public void exit() {
        if (!on.get()) {
            return;
        }
        Scene scene = window.getScene();
        scene.removeEventFilter(KeyEvent.KEY_PRESSED, keys);
        stage.removeEventFilter(MouseEvent.MOUSE_MOVED, pointer);
        stage.getChildren().clear();
        if (keepParent != null) {
            ((BorderPane) window.getCenter()).setBottom(null);
            keepParent.getChildren().add(keepIndex, keep);
            keepParent = null;
        }
        window.setCenter(center);
        window.setTop(top);
        window.setLeft(left);
        window.setRight(right);
        window.setBottom(bottom);
        tab.setContent(view);
        window.getStyleClass().remove("presentation");
        if (scene.getWindow() instanceof Stage s) {
            s.setFullScreen(false);
        }
        hideBands();
        on.set(false);
    }

    private void key(KeyEvent e) {
        if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.F5) {
            exit();
            e.consume();
        }
    }

    /** Outlines the heatmap row and column under the pointer. */
    private void pointer(MouseEvent e) {
        for (Node n : view.lookupAll(".heatmap-canvas")) {
            if (n instanceof HeatmapCanvas canvas && canvas.isVisible()) {
                Point2D p = canvas.sceneToLocal(e.getSceneX(), e.getSceneY());
                Optional<HeatmapCell> cell = canvas.contains(p) ? canvas.cellAt(p.getX(), p.getY()) : Optional.empty();
                if (cell.isPresent()) {
                    highlight(canvas, cell.get(), p);
                    return;
                }
            }
        }
        hideBands();
    }

    private void highlight(HeatmapCanvas canvas, HeatmapCell cell, Point2D p) {
        double x0 = edge(canvas, cell, p, -1, true);
        double x1 = edge(canvas, cell, p, 1, true);
        double y0 = edge(canvas, cell, p, -1, false);
        double y1 = edge(canvas, cell, p, 1, false);
        Bounds b = canvas.getLayoutBounds();
        place(row, canvas, b.getMinX(), y0, b.getMaxX(), y1);
        place(column, canvas, x0, b.getMinY(), x1, b.getMaxY());
    }

    /** Walks from the pointer until the cell under it changes: that is the cell's edge in this direction. */
    private static double edge(HeatmapCanvas canvas, HeatmapCell cell, Point2D p, int dir, boolean horizontal) {
        double limit = horizontal ? canvas.getWidth() : canvas.getHeight();
        double at = horizontal ? p.getX() : p.getY();
        for (int step = 1; step < 2000; step++) {
            double v = at + dir * step;
            if (v < 0 || v > limit) {
                return Math.max(0, Math.min(limit, v));
            }
            Optional<HeatmapCell> c = horizontal ? canvas.cellAt(v, p.getY()) : canvas.cellAt(p.getX(), v);
            boolean same = c.isPresent()
                    && c.get().block() == cell.block()
                    && (horizontal ? c.get().col() == cell.col() : c.get().row() == cell.row());
            if (!same) {
                return dir < 0 ? v + 1 : v;
            }
        }
        return at;
    }

    private void place(Rectangle r, Node canvas, double x0, double y0, double x1, double y1) {
        Point2D a = overlay.sceneToLocal(canvas.localToScene(x0, y0));
        Point2D b = overlay.sceneToLocal(canvas.localToScene(x1, y1));
        r.setX(a.getX());
        r.setY(a.getY());
        r.setWidth(Math.max(2, b.getX() - a.getX()));
        r.setHeight(Math.max(2, b.getY() - a.getY()));
        r.setVisible(true);
    }

    private void hideBands() {
        row.setVisible(false);
        column.setVisible(false);
    }

    private static Rectangle band(String id) {
        Rectangle r = new Rectangle();
        r.setId(id);
        r.getStyleClass().add("presentation-band");
        r.setVisible(false);
        r.setManaged(false);
        return r;
    }

    public ReadOnlyBooleanProperty presentingProperty() {
        return on.getReadOnlyProperty();
    }

    public boolean isPresenting() {
        return on.get();
    }

    /** The row band's and column band's visibility (tests). */
    public boolean bandsShown() {
        return row.isVisible() && column.isVisible();
    }
}
