package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import eu.hansolo.tilesfx.Tile;
import io.moescope.viz.VizTheme;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.layout.Background;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Switching the theme while the window is open keeps the dashboard tiles drawn (TilesFX paints them itself). */
class ThemeFxTest extends WindowFxTest {

    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Test
    void tilesKeepTheirBackgroundAcrossThemeSwitches(FxRobot robot) {
        // TilesFX paints each tile on an inner pane with style class "tile"; CSS must never reset it
        Set<Node> panes = robot.lookup(n -> n instanceof Pane
                        && !(n instanceof Tile)
                        && n.getStyleClass().contains("tile"))
                .queryAll();
        int tiles = robot.lookup(n -> n instanceof Tile).queryAll().size();
        assertEquals(6, tiles);
        assertEquals(tiles, panes.size());
        for (int i = 0; i < 3; i++) {
            robot.interact(() -> main.actions().toggleTheme());
            WaitForAsyncUtils.waitForFxEvents();
            boolean light = main.root().getStyleClass().contains(VizTheme.LIGHT.styleClass());
            for (Node node : panes) {
                Background background = ((Pane) node).getBackground();
                assertNotNull(background, "tile background after switch " + (i + 1));
                assertFalse(background.getFills().isEmpty(), "tile background after switch " + (i + 1));
                Color fill = (Color) background.getFills().get(0).getFill();
                assertEquals(
                        light,
                        fill.getBrightness() > 0.5,
                        "tile follows the " + (light ? "light" : "dark") + " theme after switch " + (i + 1) + ": "
                                + fill);
            }
        }
        assertEquals(tiles, robot.lookup(".tile-caption").queryAll().size(), "one caption per tile");
    }
}
