package io.moescope.viz.data;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * An immutable rows x cols grid of floats plus labels: nothing about where the numbers came from.
 *
 * <p>Arrays, lists and bit sets are copied on the way in and on the way out, so a snapshot can be
 * built on any thread and handed to the FX thread. Read single cells with {@link #value(int, int)},
 * which does not copy. Records compare arrays by identity, so two equal-looking snapshots are not
 * {@code equals}; compare {@link #values()} with {@code Arrays.equals} if you need that.
 *
 * <pre>{@code
 * HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, new float[] {0, 1, 2, 3, 4, 5},
 *         List.of("a", "b"), List.of("x", "y", "z"))
 *     .withMarked(HeatmapSnapshot.cells(3, new int[][] {{0, 2}, {1, 0}}))
 *     .withRowTags(new int[] {1, 2});
 * }</pre>
 *
 * @param rows      number of rows, at least 0
 * @param cols      number of columns, at least 0
 * @param values    the cells, row-major: {@code values[row * cols + col]}, length rows * cols
 * @param min       the value drawn at the low end of the colour scale
 * @param max       the value drawn at the high end; {@code max >= min}
 * @param rowLabels one label per row, or empty for none
 * @param colLabels one label per column, or empty for none
 * @param marked    cells to outline, bit {@code row * cols + col}; empty for none
 * @param rowTags   one small non-negative tag per row (0 = untagged), or empty for none
 */
public record HeatmapSnapshot(int rows, int cols, float[] values, float min, float max,
                              List<String> rowLabels, List<String> colLabels,
                              BitSet marked, int[] rowTags) {

    /** A 0 x 0 grid: draws nothing. */
    public static final HeatmapSnapshot EMPTY =
            new HeatmapSnapshot(0, 0, new float[0], 0f, 1f, List.of(), List.of());

    /** Validates and copies everything. */
    public HeatmapSnapshot {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative grid size " + rows + "x" + cols);
        }
        Objects.requireNonNull(values, "values");
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(rows + "x" + cols + " grid needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        if (!Float.isFinite(min) || !Float.isFinite(max) || max < min) {
            throw new IllegalArgumentException("bad value range [" + min + ", " + max + "]");
        }
        rowLabels = copyLabels(rowLabels, rows, "row");
        colLabels = copyLabels(colLabels, cols, "column");
        marked = marked == null ? new BitSet() : (BitSet) marked.clone();
        if (marked.length() > values.length) {
            throw new IllegalArgumentException("marked cell " + (marked.length() - 1) + " outside the grid");
        }
        rowTags = rowTags == null ? new int[0] : rowTags.clone();
        if (rowTags.length != 0 && rowTags.length != rows) {
            throw new IllegalArgumentException(rows + " rows need " + rows + " row tags, got " + rowTags.length);
        }
        for (int tag : rowTags) {
            if (tag < 0) {
                throw new IllegalArgumentException("row tags must be >= 0, got " + tag);
            }
        }
        values = values.clone();
    }

    /** A grid with no marked cells and no row tags. */
    public HeatmapSnapshot(int rows, int cols, float[] values, float min, float max,
                           List<String> rowLabels, List<String> colLabels) {
        this(rows, cols, values, min, max, rowLabels, colLabels, null, null);
    }

    /** A grid whose range is the smallest and largest value present ([0, 1] when there are none). */
    public static HeatmapSnapshot of(int rows, int cols, float[] values,
                                     List<String> rowLabels, List<String> colLabels) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            lo = 0f;
            hi = 1f;
        }
        return new HeatmapSnapshot(rows, cols, values, lo, hi, rowLabels, colLabels);
    }

    /** Bit set of the given (row, col) pairs for a grid with {@code cols} columns. */
    public static BitSet cells(int cols, int[][] rowColPairs) {
        BitSet bits = new BitSet();
        for (int[] pair : rowColPairs) {
            if (pair[1] < 0 || pair[1] >= cols) {
                throw new IllegalArgumentException("column " + pair[1] + " outside 0.." + (cols - 1));
            }
            bits.set(pair[0] * cols + pair[1]);
        }
        return bits;
    }

    /** This grid with these cells outlined (bit {@code row * cols + col}). */
    public HeatmapSnapshot withMarked(BitSet cells) {
        return new HeatmapSnapshot(rows, cols, values, min, max, rowLabels, colLabels, cells, rowTags);
    }

    /** This grid with one tag per row (0 = untagged). */
    public HeatmapSnapshot withRowTags(int[] tags) {
        return new HeatmapSnapshot(rows, cols, values, min, max, rowLabels, colLabels, marked, tags);
    }

    /** This grid drawn against a different value range. */
    public HeatmapSnapshot withRange(float newMin, float newMax) {
        return new HeatmapSnapshot(rows, cols, values, newMin, newMax, rowLabels, colLabels, marked, rowTags);
    }

    /** A copy of the cells, row-major. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** A copy of the outlined cells. */
    @Override
    public BitSet marked() {
        return (BitSet) marked.clone();
    }

    /** A copy of the row tags (empty when there are none). */
    @Override
    public int[] rowTags() {
        return rowTags.clone();
    }

    public boolean isEmpty() {
        return rows == 0 || cols == 0;
    }

    public float value(int row, int col) {
        return values[index(row, col)];
    }

    /** The value mapped to [0, 1] against min/max, clamped; NaN stays NaN. */
    public double normalized(int row, int col) {
        float span = max - min;
        float v = value(row, col);
        if (Float.isNaN(v)) {
            return Double.NaN;
        }
        return span <= 0f ? 0.0 : Math.min(1.0, Math.max(0.0, (v - min) / span));
    }

    public boolean isMarked(int row, int col) {
        return marked.get(index(row, col));
    }

    /** The first marked cell index ({@code row * cols + col}) at or after {@code fromIndex}, or -1. */
    public int nextMarkedCell(int fromIndex) {
        return marked.nextSetBit(fromIndex);
    }

    public boolean hasMarks() {
        return !marked.isEmpty();
    }

    public boolean hasRowTags() {
        return rowTags.length != 0;
    }

    /** The row's tag, 0 when untagged or when the grid has no tags. */
    public int rowTag(int row) {
        Objects.checkIndex(row, rows);
        return rowTags.length == 0 ? 0 : rowTags[row];
    }

    /** The row's label, or "" when the grid has no row labels. */
    public String rowLabel(int row) {
        Objects.checkIndex(row, rows);
        return rowLabels.isEmpty() ? "" : rowLabels.get(row);
    }

    /** The column's label, or "" when the grid has no column labels. */
    public String colLabel(int col) {
        Objects.checkIndex(col, cols);
        return colLabels.isEmpty() ? "" : colLabels.get(col);
    }

    private int index(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return row * cols + col;
    }

    private static List<String> copyLabels(List<String> labels, int count, String what) {
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        if (labels.size() != count) {
            throw new IllegalArgumentException(count + " " + what + "s need " + count + " labels, got "
                    + labels.size());
        }
        return List.copyOf(labels);
    }
}
