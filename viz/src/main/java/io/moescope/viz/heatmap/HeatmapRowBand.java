package io.moescope.viz.heatmap;

import io.moescope.viz.data.HeatmapSnapshot;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.text.TextAlignment;

/**
 * The rows of a growing heatmap (snapshots of one {@link HeatmapSnapshot#lineage() lineage}) drawn once each onto
 * a canvas taller than the view, which the heatmap moves rather than repaints: while rows only arrive, or the view
 * scrolls within the band, a frame draws just the rows it has not drawn yet (a canvas keeps its pixels). It starts
 * over (clears, draws the visible rows) when anything that changes how rows look changes, when rows are not of
 * the same lineage, or when the view leaves the band: with the newest row in view, once per view height of new
 * rows. FX thread.
 */
final class HeatmapRowBand {

    /** What the drawn rows depend on besides their data. */
    private record Look(
            Object lineage,
            int cols,
            float min,
            float max,
            double rowHeight,
            HeatmapMetrics metrics,
            double width,
            HeatmapStyle style) {}

    private final Canvas canvas = new Canvas();
    private Look look;
    private final RowImageCache rowImages = new RowImageCache();
    private long base; // serial of the row at the canvas top
    private int capacity; // rows the canvas holds
    private long drawnFrom; // serials drawn since the last start: [drawnFrom, drawnTo)
    private long drawnTo;
    private double offset; // canvas top relative to the top of the scrolling area

    Canvas canvas() {
        return canvas;
    }

    /** Forgets what was drawn (the next update starts over). */
    void reset() {
        look = null;
    }

    /** The canvas top relative to the top of the scrolling area, after the last update. */
    double offset() {
        return offset;
    }

    /**
     * Draws what the view needs of a single untitled block and places the band.
     *
     * @return cells drawn by this update
     */
    long update(HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style, boolean followTail) {
        double rowHeight = layout.rowHeight();
        long firstSerial = s.firstSerial();
        long from = firstSerial + layout.firstVisibleRow(0);
        long to = firstSerial + layout.endVisibleRow(0);
        Look now =
                new Look(s.lineage(), s.cols(), s.min(), s.max(), rowHeight, layout.metrics(), layout.width(), style);
        boolean fits = now.equals(look) && from >= base && to <= base + capacity && from <= drawnTo && to >= drawnFrom;
        long cells = 0;
        if (!fits) {
            int viewRows = (int) Math.ceil(layout.viewHeight() / rowHeight) + 2;
            capacity = 2 * viewRows;
            base = followTail ? from : Math.max(firstSerial, from - viewRows / 2);
            look = now;
            canvas.setWidth(layout.width());
            canvas.setHeight(Math.ceil(capacity * rowHeight));
            canvas.getGraphicsContext2D().clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            cells += draw(layout, s, style, from, to);
            drawnFrom = from;
            drawnTo = to;
        } else {
            if (to > drawnTo) {
                cells += draw(layout, s, style, drawnTo, to);
                drawnTo = to;
            }
            if (from < drawnFrom) {
                cells += draw(layout, s, style, from, drawnFrom);
                drawnFrom = from;
            }
        }
        offset = Math.round((base - firstSerial) * rowHeight - layout.scroll());
        return cells;
    }

    /** Draws the rows with serials [from, to) (all in the snapshot) at their place in the band. */
    private long draw(HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style, long from, long to) {
        int first = (int) (from - s.firstSerial());
        int end = (int) (to - s.firstSerial());
        int rows = end - first;
        if (rows <= 0 || s.cols() == 0) {
            return 0;
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        double rowHeight = layout.rowHeight();
        double top = (from - base) * rowHeight;
        g.setImageSmoothing(false);
        for (int r = 0; r < rows; r++) {
            g.drawImage(
                    rowImage(s, style, first + r),
                    0,
                    0,
                    s.cols(),
                    1,
                    layout.plotLeft(),
                    top + r * rowHeight,
                    layout.plotWidth(),
                    rowHeight);
        }
        for (int r = first; r < end; r++) {
            double y = top + (r - first) * rowHeight;
            drawLabel(g, layout, s, style, r, y);
            drawStripe(g, layout, s, style, r, y);
            HeatmapPainter.paintRowMarks(g, layout, s, style, r, y, layout.cellWidth(0));
        }
        return (long) rows * s.cols();
    }

    /**
     * A row's cells as a one-pixel-high image, kept while the row may be drawn again (a new band, a new row
     * height) and never changed once made: the canvas draws it later, on the render thread.
     */
    private WritableImage rowImage(HeatmapSnapshot s, HeatmapStyle style, int row) {
        return rowImages.row(s, style, row, 4 * Math.max(64, capacity));
    }

    private static void drawLabel(
            GraphicsContext g, HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style, int row, double y) {
        double labelWidth = layout.metrics().rowLabelWidth() - 4;
        LabelFitter labels = style.labels();
        int step = LabelFitter.thinningStep(layout.rowHeight(), labels.lineHeight());
        if (s.rowLabels().isEmpty() || labelWidth <= 4 || (s.firstSerial() + row) % step != 0) {
            return;
        }
        g.setFont(labels.font());
        g.setFill(style.textFill());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(labels.fit(s.rowLabel(row), labelWidth), labelWidth + 1, y + layout.rowHeight() / 2);
    }

    private static void drawStripe(
            GraphicsContext g, HeatmapLayout layout, HeatmapSnapshot s, HeatmapStyle style, int row, double y) {
        double stripe = layout.metrics().stripeWidth();
        var color = s.hasRowTags() && stripe > 0 ? style.tagColor(s.rowTag(row)) : null;
        if (color != null) {
            g.setFill(color);
            g.fillRect(layout.metrics().rowLabelWidth(), y, stripe - 1, layout.rowHeight());
        }
    }
}
