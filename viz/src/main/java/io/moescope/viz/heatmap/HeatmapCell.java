package io.moescope.viz.heatmap;

/**
 * A cell that the pointer is over or has clicked: where it is and what it shows.
 *
 * @param block      index of the block in a stacked view (0 for a single grid)
 * @param row        row in that block's snapshot
 * @param col        column in that block's snapshot
 * @param value      the cell's value
 * @param rowLabel   the row's label, "" when none
 * @param colLabel   the column's label, "" when none
 * @param blockTitle the block's title, "" when none
 */
public record HeatmapCell(
        int block, int row, int col, float value, String rowLabel, String colLabel, String blockTitle) {

    /** A short human description, the default tooltip text. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (!blockTitle.isEmpty()) {
            text.append(blockTitle).append('\n');
        }
        text.append(rowLabel.isEmpty() ? "row " + row : "row " + row + "  " + rowLabel)
                .append('\n');
        text.append(colLabel.isEmpty() ? "column " + col : colLabel).append('\n');
        text.append(String.format("value %.4g", value));
        return text.toString();
    }
}
