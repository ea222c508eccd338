package io.moescope.viz.heatmap;

/**
 * Fixed pixel sizes around the cells, measured from the font and labels before the layout pass.
 *
 * @param rowLabelWidth width of the row-label column at the left
 * @param stripeWidth   width of the row-tag stripe between labels and cells (0 when no tags)
 * @param headerHeight  height of the sticky column-label band at the top
 * @param titleHeight   height of a block title band (used only by blocks with a title)
 * @param gap           vertical gap between stacked blocks
 * @param rightPad      space right of the cells (room for the scroll indicator)
 */
record HeatmapMetrics(
        double rowLabelWidth,
        double stripeWidth,
        double headerHeight,
        double titleHeight,
        double gap,
        double rightPad) {}
