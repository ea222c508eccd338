package io.moescope.viz.export;

import static io.moescope.viz.FxTestSupport.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.viz.FxTestSupport;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javafx.scene.layout.Region;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngExportTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void writesANodeSnapshotAsPng() throws Exception {
        Path target = dir.resolve("node.png");
        onFx(() -> {
            Region region = new Region();
            region.setStyle("-fx-background-color: #ff0000;");
            region.setPrefSize(30, 20);
            new javafx.scene.Scene(new javafx.scene.Group(region));
            PngExport.write(region, target);
            return null;
        });
        BufferedImage read = ImageIO.read(target.toFile());
        assertEquals(30, read.getWidth());
        assertEquals(20, read.getHeight());
        assertEquals(0xffff0000, read.getRGB(10, 10));
    }
}
