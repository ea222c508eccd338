package io.moescope.app.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.moescope.viz.VizTheme;
import io.moescope.viz.fx.FxThrottle;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ObservableDoubleValue;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;

/**
 * Six TilesFX number tiles in a row, bound to the dashboard view model. TilesFX sizes a tile's title and text
 * from the tile's height (about 6 px here), so each tile carries our own caption (and note) as labels instead.
 * TilesFX colours are properties, not CSS, so the tiles follow the window's theme class by listening to it.
 */
public final class DashboardView extends HBox {

    private static final Color LIGHT_BACKGROUND = Color.web("#e9ecf0");
    private static final Color LIGHT_TEXT = Color.web("#1f2329");
    private static final Color DARK_BACKGROUND = Color.web("#2a2a2a");
    private static final Color DARK_TEXT = Color.web("#dfe2e6");

    private final List<Tile> tiles = new ArrayList<>();
    private final ListChangeListener<String> themeListener = change -> followTheme();

    public DashboardView(DashboardViewModel vm) {
        super(6);
        setId("dashboard");
        setPadding(new Insets(6));
        getChildren()
                .addAll(
                        tile("Speed", "tok/s", 1, vm.tokensPerSecondProperty(), null),
                        tile("Tokens so far", "", 0, vm.tokensProperty(), null),
                        tile("Active params / token", "M", 2, vm.activeParamsMillionsProperty(), null),
                        tile("Mean routing entropy", "of ln E", 3, vm.entropyProperty(), vm.entropyNoteProperty()),
                        tile("Worst layer imbalance", "max/mean", 2, vm.imbalanceProperty(), null),
                        tile("Trace memory", "MB", 2, vm.memoryMbProperty(), vm.memoryNoteProperty()));
        sceneProperty().addListener((obs, old, scene) -> {
            if (old != null && old.getRoot() != null) {
                old.getRoot().getStyleClass().removeListener(themeListener);
            }
            if (scene != null && scene.getRoot() != null) {
                scene.getRoot().getStyleClass().addListener(themeListener);
            }
            followTheme();
        });
    }

    /** True when the window's root carries the light theme's style class. */
    private boolean light() {
        Parent root = getScene() == null ? null : getScene().getRoot();
        return root != null && root.getStyleClass().contains(VizTheme.LIGHT.styleClass());
    }

    private void followTheme() {
        boolean light = light();
        Color background = light ? LIGHT_BACKGROUND : DARK_BACKGROUND;
        Color text = light ? LIGHT_TEXT : DARK_TEXT;
        for (Tile t : tiles) {
            t.setBackgroundColor(background);
            t.setValueColor(text);
            t.setUnitColor(text);
            t.setForegroundColor(text);
        }
        getStyleClass().removeAll("dashboard-light", "dashboard-dark");
        getStyleClass().add(light ? "dashboard-light" : "dashboard-dark");
    }

    private StackPane tile(
            String title, String unit, int decimals, ObservableDoubleValue value, ObservableStringValue note) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .prefSize(190, 96)
                .unit(unit)
                .decimals(decimals)
                .animated(false)
                .build();
        tile.setMinHeight(80);
        tiles.add(tile);
        tile.setValue(value.get());
        // a number changing every frame cannot be read, and TilesFX re-measures its text on every value
        FxThrottle throttle = new FxThrottle(FxThrottle.READABLE, () -> tile.setValue(value.get()));
        value.addListener((obs, o, n) -> throttle.request());
        Label caption = new Label(title);
        caption.getStyleClass().add("tile-caption");
        caption.setMouseTransparent(true);
        StackPane.setAlignment(caption, Pos.TOP_LEFT);
        StackPane.setMargin(caption, new Insets(6, 8, 0, 8));
        StackPane box = new StackPane(tile, caption);
        if (note != null) {
            Label text = new Label();
            text.getStyleClass().add("tile-note");
            text.textProperty().bind(note);
            text.setMouseTransparent(true);
            StackPane.setAlignment(text, Pos.BOTTOM_LEFT);
            StackPane.setMargin(text, new Insets(0, 8, 5, 8));
            box.getChildren().add(text);
        }
        box.getStyleClass().add("dashboard-tile");
        box.setMaxWidth(Double.MAX_VALUE);
        box.setMinWidth(0);
        HBox.setHgrow(box, Priority.ALWAYS);
        tile.setMaxWidth(Double.MAX_VALUE);
        return box;
    }
}
