package io.moescope.viz.heatmap;

import io.moescope.viz.data.TitledHeatmap;
import java.util.List;

/**
 * The pure geometry pass shared by painting and hit-testing: where each block, row and column lies
 * on screen for a given size and scroll position. No JavaFX; immutable once built.
 *
 * <p>Coordinates: a sticky header band of column labels sits at the top; below it the content
 * (blocks stacked top to bottom, each an optional title band then its rows, separated by gaps)
 * scrolls vertically. Columns always fill the plot width; rows share one height (whole pixels when
 * at least one), clamped to [minRowHeight, maxRowHeight], and the content scrolls when it is taller
 * than the view.
 */
final class HeatmapLayout {

    private final int[] rows; // [block]
    private final int[] cols; // [block]
    private final double[] gridTop; // [block] content y of the block's first row
    private final double[] blockTop; // [block] content y of the block's title band
    private final double width;
    private final double height;
    private final HeatmapMetrics metrics;
    private final double rowHeight;
    private final double contentHeight;
    private final double scroll;

    HeatmapLayout(
            List<TitledHeatmap> blocks,
            double width,
            double height,
            HeatmapMetrics metrics,
            double minRowHeight,
            double maxRowHeight,
            double requestedScroll,
            boolean followTail) {
        int count = blocks.size();
        this.rows = new int[count];
        this.cols = new int[count];
        this.gridTop = new double[count];
        this.blockTop = new double[count];
        this.width = Math.max(0, width);
        this.height = Math.max(0, height);
        this.metrics = metrics;
        double fixed = 0;
        long totalRows = 0;
        for (int b = 0; b < count; b++) {
            rows[b] = blocks.get(b).snapshot().rows();
            cols[b] = blocks.get(b).snapshot().cols();
            totalRows += rows[b];
            fixed += titleHeight(blocks.get(b)) + (b > 0 ? metrics.gap() : 0);
        }
        double fit = totalRows == 0 ? maxRowHeight : (viewHeight() - fixed) / totalRows;
        // whole pixels: crisp rows, and a growing grid changes its row height (and repaints every row) only when
        // the whole-pixel fit changes, not with every row
        this.rowHeight = Math.max(minRowHeight, Math.min(maxRowHeight, fit >= 1 ? Math.floor(fit) : fit));
        double y = 0;
        for (int b = 0; b < count; b++) {
            y += b > 0 ? metrics.gap() : 0;
            blockTop[b] = y;
            gridTop[b] = y + titleHeight(blocks.get(b));
            y = gridTop[b] + rows[b] * rowHeight;
        }
        this.contentHeight = y;
        this.scroll = followTail ? maxScroll() : Math.max(0, Math.min(maxScroll(), requestedScroll));
    }

    private double titleHeight(TitledHeatmap block) {
        return block.title().isEmpty() ? 0 : metrics.titleHeight();
    }

    int blockCount() {
        return rows.length;
    }

    double width() {
        return width;
    }

    double rowHeight() {
        return rowHeight;
    }

    double scroll() {
        return scroll;
    }

    double contentHeight() {
        return contentHeight;
    }

    /** Height of the scrolling area below the header. */
    double viewHeight() {
        return Math.max(0, height - metrics.headerHeight());
    }

    double maxScroll() {
        return Math.max(0, contentHeight - viewHeight());
    }

    double plotLeft() {
        return metrics.rowLabelWidth() + metrics.stripeWidth();
    }

    double plotWidth() {
        return Math.max(0, width - metrics.rightPad() - plotLeft());
    }

    double contentTop() {
        return metrics.headerHeight();
    }

    HeatmapMetrics metrics() {
        return metrics;
    }

    double cellWidth(int block) {
        return cols[block] == 0 ? 0 : plotWidth() / cols[block];
    }

    /** Screen y of a content y. */
    double screenY(double contentY) {
        return metrics.headerHeight() + contentY - scroll;
    }

    double rowTop(int block, int row) {
        return screenY(gridTop[block] + row * rowHeight);
    }

    double titleTop(int block) {
        return screenY(blockTop[block]);
    }

    /** First row of the block that is at least partly visible. */
    int firstVisibleRow(int block) {
        if (plotWidth() <= 0 || viewHeight() <= 0) {
            return rows[block];
        }
        double first = Math.floor((scroll - gridTop[block]) / rowHeight);
        return (int) Math.max(0, Math.min(rows[block], first));
    }

    /** One past the last row of the block that is at least partly visible. */
    int endVisibleRow(int block) {
        if (plotWidth() <= 0 || viewHeight() <= 0) {
            return rows[block];
        }
        double end = Math.ceil((scroll + viewHeight() - gridTop[block]) / rowHeight);
        return (int) Math.max(firstVisibleRow(block), Math.min(rows[block], end));
    }

    /** How many cells are at least partly visible, over all blocks. */
    long visibleCellCount() {
        long cells = 0;
        for (int b = 0; b < blockCount(); b++) {
            cells += (long) (endVisibleRow(b) - firstVisibleRow(b)) * cols[b];
        }
        return cells;
    }

    /** The block whose column labels the sticky header shows: the one at the top of the view. */
    int headerBlock() {
        int top = 0;
        for (int b = 0; b < blockCount(); b++) {
            if (blockTop[b] <= scroll + 0.5) {
                top = b;
            }
        }
        return top;
    }

    /** {block, row, col} of the cell under a screen point, or null when there is none. */
    int[] cellAt(double x, double y) {
        if (y < contentTop() || y >= height || x < plotLeft() || x >= plotLeft() + plotWidth()) {
            return null;
        }
        double contentY = y - contentTop() + scroll;
        for (int b = 0; b < blockCount(); b++) {
            double offset = contentY - gridTop[b];
            if (offset >= 0 && offset < rows[b] * rowHeight && cols[b] > 0) {
                int row = Math.min(rows[b] - 1, (int) (offset / rowHeight));
                int col = Math.min(cols[b] - 1, (int) ((x - plotLeft()) / cellWidth(b)));
                return new int[] {b, row, col};
            }
        }
        return null;
    }
}
