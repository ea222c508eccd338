package io.moescope.viz.export;

import io.moescope.base.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javax.imageio.ImageIO;

/**
 * Writes PNG files atomically (temporary sibling, then rename).
 *
 * <pre>{@code
 * PngExport.write(heatmapCanvas, Path.of("routing.png"));   // FX thread: snapshots the node
 * PngExport.write(heatmapCanvas.toImage(), path);           // any thread, once you have the image
 * }</pre>
 */
public final class PngExport {

    private PngExport() {}

    /** Snapshots a node as it looks now and writes it. FX thread only (snapshot needs it). */
    public static void write(Node node, Path target) throws IOException {
        write(node.snapshot(null, null), target);
    }

    /** Writes an image; safe off the FX thread as long as nobody modifies the image meanwhile. */
    public static void write(Image image, Path target) throws IOException {
        write(SwingFXUtils.fromFXImage(image, null), target);
    }

    /** Writes an AWT image. */
    public static void write(BufferedImage image, Path target) throws IOException {
        AtomicFiles.writeCreatingFolders(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
