package io.moescope.viz.demo;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moescope.viz.FxTestSupport;
import io.moescope.viz.VizTheme;
import io.moescope.viz.export.PngExport;
import java.nio.file.Path;
import javafx.scene.Scene;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes the demo as PNGs, headless. Skipped unless {@code -Dviz.screenshots=DIR} is given:
 * {@code mvn -pl viz test -Dtest=DemoScreenshotTest -Dviz.screenshots=$PWD/docs/screenshots}.
 */
class DemoScreenshotTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void writesDarkAndLightScreenshots() throws Exception {
        String dir = System.getProperty("viz.screenshots", "");
        assumeTrue(!dir.isBlank(), "set -Dviz.screenshots=DIR to write screenshots");
        for (VizTheme theme : VizTheme.values()) {
            Path target = Path.of(dir, theme == VizTheme.DARK ? "viz-heatmap.png" : "viz-heatmap-light.png");
            runFx(() -> {
                Scene scene = HeatmapDemo.buildScene(theme);
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                PngExport.write(scene.getRoot(), target);
            });
        }
    }
}
