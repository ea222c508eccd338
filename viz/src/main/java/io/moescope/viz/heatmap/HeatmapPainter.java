package io.moescope.viz.heatmap;

import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;

/**
 * Paints blocks of cells, labels, tag stripes and outlines onto a canvas for a given layout. Work is
 * proportional to the visible cells: only visible rows are written, one pixel per cell, into a
 * per-block image that is drawn scaled up without smoothing. FX thread only.
 */
final class HeatmapPainter {

    private final List<WritableImage> rowImages = new ArrayList<>(); // one per row on screen, reused
    private int rowImagesUsed; // by the paint under way
    private final Map<Object, RowImageCache> caches = new HashMap<>(); // by lineage: rows of growing heatmaps
    private final Set<Object> usedCaches = new HashSet<>(); // lineages of the paint under way

    /** Paints everything and returns the number of cells written. */
    long paint(GraphicsContext g, HeatmapLayout layout, List<TitledHeatmap> blocks, HeatmapStyle style) {
        g.clearRect(0, 0, layout.width(), layout.contentTop() + layout.viewHeight());
        rowImagesUsed = 0;
        usedCaches.clear();
        long painted = 0;
        // no clip: a canvas clip makes the software pipeline render every later command through a mask (a third
        // of a stacked view's frame). Rows cut by the top edge are painted over by the header band, which is
        // cleared afterwards; rows past the bottom fall off the canvas.
        for (int b = 0; b < blocks.size(); b++) {
            painted += paintBlock(g, layout, b, blocks.get(b), style);
        }
        paintHeaderOnly(g, layout, blocks.get(layout.headerBlock()).snapshot(), style);
        paintScrollIndicator(g, layout, style);
        caches.keySet().retainAll(usedCaches);
        while (rowImages.size() > rowImagesUsed) {
            rowImages.remove(rowImages.size() - 1);
        }
        return painted;
    }

    private long paintBlock(
            GraphicsContext g, HeatmapLayout layout, int block, TitledHeatmap titled, HeatmapStyle style) {
        HeatmapSnapshot s = titled.snapshot();
        if (!titled.title().isEmpty()) {
            g.setFont(style.titles().font());
            g.setFill(style.textFill());
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(
                    titled.title(), 2, layout.titleTop(block) + layout.metrics().titleHeight() / 2);
        }
        int first = layout.firstVisibleRow(block);
        int end = layout.endVisibleRow(block);
        if (end <= first || s.cols() == 0) {
            return 0;
        }
        int visibleRows = end - first;
        double top = layout.rowTop(block, first);
        g.setImageSmoothing(false);
        RowImageCache cache = s.lineage() == null ? null : cacheFor(s.lineage());
        int[] pixels = cache == null ? new int[s.cols()] : null;
        for (int r = 0; r < visibleRows; r++) {
            WritableImage image;
            if (cache != null) {
                image = cache.row(s, style, first + r, 4 * Math.max(64, visibleRows));
            } else {
                for (int c = 0; c < s.cols(); c++) {
                    pixels[c] = style.scale().argb(s.normalized(first + r, c));
                }
                image = nextRowImage(s.cols());
                image.getPixelWriter()
                        .setPixels(0, 0, s.cols(), 1, PixelFormat.getIntArgbInstance(), pixels, 0, s.cols());
            }
            drawRow(
                    g,
                    image,
                    s.cols(),
                    layout.plotLeft(),
                    top + r * layout.rowHeight(),
                    layout.plotWidth(),
                    layout.rowHeight());
        }
        paintRowLabels(g, layout, block, s, first, end, style);
        paintStripes(g, layout, block, s, first, end, style);
        paintMarks(g, layout, block, s, first, end, style);
        return (long) visibleRows * s.cols();
    }

    /**
     * Draws one row of cells from a one-row image scaled up. One image per row: scaled as a whole, a many-row
     * image came out a pixel below the outlines in the software pipeline (its nearest-neighbour sampling), and
     * a pixel off wherever two images meet.
     */
    private static void drawRow(
            GraphicsContext g, WritableImage image, int cols, double x, double y, double width, double rowHeight) {
        g.drawImage(image, 0, 0, cols, 1, x, y, width, rowHeight);
    }

    /**
     * The row images of a growing heatmap, kept across paints so unchanged rows keep their textures (a stacked view
     * repaints every visible row of every layer each frame). Caches of lineages no longer painted are dropped.
     */
    private RowImageCache cacheFor(Object lineage) {
        usedCaches.add(lineage);
        return caches.computeIfAbsent(lineage, l -> new RowImageCache());
    }

    /** The next pooled one-row image of this paint (the whole canvas is repainted, so reuse is safe). */
    private WritableImage nextRowImage(int cols) {
        if (rowImagesUsed == rowImages.size()) {
            rowImages.add(new WritableImage(cols, 1));
        } else if (rowImages.get(rowImagesUsed).getWidth() != cols) {
            rowImages.set(rowImagesUsed, new WritableImage(cols, 1));
        }
        return rowImages.get(rowImagesUsed++);
    }

    private void paintRowLabels(
            GraphicsContext g,
            HeatmapLayout layout,
            int block,
            HeatmapSnapshot s,
            int first,
            int end,
            HeatmapStyle style) {
        double labelWidth = layout.metrics().rowLabelWidth() - 4;
        if (s.rowLabels().isEmpty() || labelWidth <= 4) {
            return;
        }
        LabelFitter labels = style.labels();
        int step = LabelFitter.thinningStep(layout.rowHeight(), labels.lineHeight());
        g.setFont(labels.font());
        g.setFill(style.textFill());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int row = first - first % step; row < end; row += step) {
            if (row >= first) {
                double centre = layout.rowTop(block, row) + layout.rowHeight() / 2;
                g.fillText(labels.fit(s.rowLabel(row), labelWidth), labelWidth + 1, centre);
            }
        }
    }

    private void paintStripes(
            GraphicsContext g,
            HeatmapLayout layout,
            int block,
            HeatmapSnapshot s,
            int first,
            int end,
            HeatmapStyle style) {
        double stripe = layout.metrics().stripeWidth();
        if (!s.hasRowTags() || stripe <= 0) {
            return;
        }
        double x = layout.metrics().rowLabelWidth();
        for (int row = first; row < end; row++) {
            Color color = style.tagColor(s.rowTag(row));
            if (color != null) {
                g.setFill(color);
                g.fillRect(x, layout.rowTop(block, row), stripe - 1, layout.rowHeight());
            }
        }
    }

    private void paintMarks(
            GraphicsContext g,
            HeatmapLayout layout,
            int block,
            HeatmapSnapshot s,
            int first,
            int end,
            HeatmapStyle style) {
        if (!s.hasMarks()) {
            return;
        }
        double cellWidth = layout.cellWidth(block);
        double rowHeight = layout.rowHeight();
        Outline outline = new Outline(style, cellWidth, rowHeight);
        int stop = end * s.cols();
        for (int bit = s.nextMarkedCell(first * s.cols()); bit >= 0 && bit < stop; bit = s.nextMarkedCell(bit + 1)) {
            outline.draw(g, layout.plotLeft() + (bit % s.cols()) * cellWidth, layout.rowTop(block, bit / s.cols()));
        }
    }

    /** Outlines the marked cells of one row whose top is at {@code y} (in the coordinates of {@code g}). */
    static void paintRowMarks(
            GraphicsContext g,
            HeatmapLayout layout,
            HeatmapSnapshot s,
            HeatmapStyle style,
            int row,
            double y,
            double cellWidth) {
        int stop = (row + 1) * s.cols();
        Outline outline = null;
        for (int bit = s.nextMarkedCell(row * s.cols()); bit >= 0 && bit < stop; bit = s.nextMarkedCell(bit + 1)) {
            outline = outline == null ? new Outline(style, cellWidth, layout.rowHeight()) : outline;
            outline.draw(g, layout.plotLeft() + (bit % s.cols()) * cellWidth, y);
        }
    }

    /** A marked cell's outline: a contrasting halo under the mark keeps it visible on any colour scale. */
    private record Outline(Color mark, Color halo, double width, double height, double line) {

        Outline(HeatmapStyle style, double width, double height) {
            this(
                    style.markColor(),
                    style.markColor().getBrightness() > 0.5 ? Color.rgb(0, 0, 0, 0.7) : Color.rgb(255, 255, 255, 0.8),
                    width,
                    height,
                    Math.min(2, Math.max(1, Math.min(width, height) / 6)));
        }

        void draw(GraphicsContext g, double x, double y) {
            g.setFill(halo);
            frame(g, x, y, width, height, line + 1);
            g.setFill(mark);
            frame(g, x, y, width, height, line);
        }
    }

    /**
     * The inner band of width t along the edges of a rectangle, as four filled rectangles: what an inset
     * strokeRect draws, but filled rectangles take the software pipeline's fast path where strokes go through
     * the shape rasterizer (about 40 % of a streaming frame's rendering with thousands of outlined cells).
     */
    private static void frame(GraphicsContext g, double x, double y, double w, double h, double t) {
        double band = Math.min(t, Math.min(w, h) / 2);
        if (band <= 0) {
            return;
        }
        g.fillRect(x, y, w, band);
        g.fillRect(x, y + h - band, w, band);
        if (h > 2 * band) {
            g.fillRect(x, y + band, band, h - 2 * band);
            g.fillRect(x + w - band, y + band, band, h - 2 * band);
        }
    }

    /** Clears the header band and paints the column labels of a snapshot into it (nothing else). */
    void paintHeaderOnly(GraphicsContext g, HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style) {
        g.clearRect(0, 0, layout.width(), layout.contentTop());
        paintHeader(g, layout, s, style);
    }

    private void paintHeader(GraphicsContext g, HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style) {
        if (s.colLabels().isEmpty() || layout.contentTop() <= 0) {
            return;
        }
        LabelFitter labels = style.labels();
        int longest = 0;
        for (String label : s.colLabels()) {
            longest = Math.max(longest, LabelFitter.printable(label).length());
        }
        double cellWidth = layout.cellWidth(layout.headerBlock());
        double labelWidth = Math.min(labels.width(longest), 80);
        int step = LabelFitter.thinningStep(cellWidth, labelWidth + 6);
        g.setFont(labels.font());
        g.setFill(style.textFill());
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (int col = 0; col < s.cols(); col += step) {
            double centre = layout.plotLeft() + (col + 0.5) * cellWidth;
            g.fillText(labels.fit(s.colLabel(col), labelWidth), centre, layout.contentTop() / 2);
        }
    }

    private void paintScrollIndicator(GraphicsContext g, HeatmapLayout layout, HeatmapStyle style) {
        if (layout.maxScroll() <= 0 || layout.contentHeight() <= 0) {
            return;
        }
        double track = layout.viewHeight();
        double thumb = Math.max(12, track * track / layout.contentHeight());
        double y = layout.contentTop() + (track - thumb) * layout.scroll() / layout.maxScroll();
        g.setFill(style.textFill().deriveColor(0, 1, 1, 0.35));
        g.fillRoundRect(layout.width() - 5, y, 4, thumb, 4, 4);
    }
}
