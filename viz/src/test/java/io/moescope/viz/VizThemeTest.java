package io.moescope.viz;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.viz.heatmap.HeatmapCanvas;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VizThemeTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void themeClassOnTheRootRecoloursTheCharts() throws Exception {
        runFx(() -> {
            HeatmapCanvas heatmap = new HeatmapCanvas();
            StackPane root = new StackPane(heatmap);
            Scene scene = new Scene(root, 200, 100);
            scene.getStylesheets().add(VizTheme.stylesheet());

            VizTheme.LIGHT.applyTo(root);
            root.applyCss();
            assertEquals(Color.web("#1f2328"), heatmap.textFillProperty().get());

            VizTheme.DARK.applyTo(root);
            root.applyCss();
            assertEquals(Color.web("#d8dee9"), heatmap.textFillProperty().get());
            assertEquals(
                    1,
                    root.getStyleClass().filtered(c -> c.startsWith("theme-")).size());
        });
    }
}
