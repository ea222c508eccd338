package io.moescope.viz.heatmap;

import io.moescope.viz.data.HeatmapSnapshot;
import java.util.HashMap;
import java.util.Map;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * Rows of one growing heatmap (one {@link HeatmapSnapshot#lineage() lineage}) as one-pixel-high images, made once
 * per row and never changed afterwards, so the renderer keeps their textures from frame to frame instead of
 * uploading every row again. Starts over when the colours change (another lineage, column count, value range or
 * colour scale) and when it holds more than {@code limit} rows. FX thread.
 */
final class RowImageCache {

    /** What a row's image depends on besides its data. */
    private record Colours(Object lineage, int cols, float min, float max, Object scale) {}

    private final Map<Long, WritableImage> images = new HashMap<>(); // by row serial
    private Colours colours;

    /** The image of row {@code row} of {@code s}; keeps at most about {@code limit} rows. */
    WritableImage row(HeatmapSnapshot s, HeatmapStyle style, int row, int limit) {
        Colours now = new Colours(s.lineage(), s.cols(), s.min(), s.max(), style.scale());
        if (!now.equals(colours) || images.size() > limit) {
            images.clear();
            colours = now;
        }
        return images.computeIfAbsent(s.firstSerial() + row, serial -> {
            int[] pixels = new int[s.cols()];
            for (int c = 0; c < s.cols(); c++) {
                pixels[c] = style.scale().argb(s.normalized(row, c));
            }
            WritableImage image = new WritableImage(s.cols(), 1);
            image.getPixelWriter().setPixels(0, 0, s.cols(), 1, PixelFormat.getIntArgbInstance(), pixels, 0, s.cols());
            return image;
        });
    }
}
