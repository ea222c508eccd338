package io.moescope.viz.heatmap;

import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.List;
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

    private final List<WritableImage> images = new ArrayList<>(); // [block], reused while big enough
    private int[] scanlines = new int[0];                          // [visibleRow][col], flattened

    /** Paints everything and returns the number of cells written. */
    long paint(GraphicsContext g, HeatmapLayout layout, List<TitledHeatmap> blocks, HeatmapStyle style) {
        g.clearRect(0, 0, layout.width(), layout.contentTop() + layout.viewHeight());
        long painted = 0;
        g.save();
        g.beginPath();
        g.rect(0, layout.contentTop(), layout.width(), layout.viewHeight());
        g.clip();
        for (int b = 0; b < blocks.size(); b++) {
            painted += paintBlock(g, layout, b, blocks.get(b), style);
        }
        g.restore();
        paintHeader(g, layout, blocks.get(layout.headerBlock()).snapshot(), style);
        paintScrollIndicator(g, layout, style);
        while (images.size() > blocks.size()) {
            images.remove(images.size() - 1);
        }
        return painted;
    }

    private long paintBlock(GraphicsContext g, HeatmapLayout layout, int block, TitledHeatmap titled,
                            HeatmapStyle style) {
        HeatmapSnapshot s = titled.snapshot();
        if (!titled.title().isEmpty()) {
            g.setFont(style.titles().font());
            g.setFill(style.textFill());
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(titled.title(), 2, layout.titleTop(block) + layout.metrics().titleHeight() / 2);
        }
        int first = layout.firstVisibleRow(block);
        int end = layout.endVisibleRow(block);
        if (end <= first || s.cols() == 0) {
            return 0;
        }
        int visibleRows = end - first;
        WritableImage image = imageFor(block, s.cols(), visibleRows);
        if (scanlines.length < visibleRows * s.cols()) {
            scanlines = new int[visibleRows * s.cols()];
        }
        for (int r = 0; r < visibleRows; r++) {
            int offset = r * s.cols();
            for (int c = 0; c < s.cols(); c++) {
                scanlines[offset + c] = style.scale().argb(s.normalized(first + r, c));
            }
        }
        image.getPixelWriter().setPixels(0, 0, s.cols(), visibleRows, PixelFormat.getIntArgbInstance(),
                scanlines, 0, s.cols());
        double top = layout.rowTop(block, first);
        double rowHeight = layout.rowHeight();
        g.setImageSmoothing(false);
        g.drawImage(image, 0, 0, s.cols(), visibleRows,
                layout.plotLeft(), top, layout.plotWidth(), visibleRows * rowHeight);
        paintRowLabels(g, layout, block, s, first, end, style);
        paintStripes(g, layout, block, s, first, end, style);
        paintMarks(g, layout, block, s, first, end, style);
        return (long) visibleRows * s.cols();
    }

    private WritableImage imageFor(int block, int cols, int visibleRows) {
        while (images.size() <= block) {
            images.add(null);
        }
        WritableImage image = images.get(block);
        if (image == null || image.getWidth() != cols || image.getHeight() < visibleRows) {
            image = new WritableImage(cols, Math.max(visibleRows, 16));
            images.set(block, image);
        }
        return image;
    }

    private void paintRowLabels(GraphicsContext g, HeatmapLayout layout, int block, HeatmapSnapshot s,
                                int first, int end, HeatmapStyle style) {
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

    private void paintStripes(GraphicsContext g, HeatmapLayout layout, int block, HeatmapSnapshot s,
                              int first, int end, HeatmapStyle style) {
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

    private void paintMarks(GraphicsContext g, HeatmapLayout layout, int block, HeatmapSnapshot s,
                            int first, int end, HeatmapStyle style) {
        if (!s.hasMarks()) {
            return;
        }
        double cellWidth = layout.cellWidth(block);
        double rowHeight = layout.rowHeight();
        double line = Math.min(2, Math.max(1, Math.min(cellWidth, rowHeight) / 6));
        // a contrasting halo under the outline keeps it visible on both ends of any colour scale
        Color mark = style.markColor();
        Color halo = mark.getBrightness() > 0.5 ? Color.rgb(0, 0, 0, 0.7) : Color.rgb(255, 255, 255, 0.8);
        int stop = end * s.cols();
        for (int bit = s.nextMarkedCell(first * s.cols()); bit >= 0 && bit < stop;
                bit = s.nextMarkedCell(bit + 1)) {
            double x = layout.plotLeft() + (bit % s.cols()) * cellWidth;
            double y = layout.rowTop(block, bit / s.cols());
            g.setFill(halo);
            frame(g, x, y, cellWidth, rowHeight, line + 1);
            g.setFill(mark);
            frame(g, x, y, cellWidth, rowHeight, line);
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
        g.fillRect(x, y + band, band, h - 2 * band);
        g.fillRect(x + w - band, y + band, band, h - 2 * band);
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
