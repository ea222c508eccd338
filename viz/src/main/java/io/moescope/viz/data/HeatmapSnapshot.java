package io.moescope.viz.data;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable rows x cols grid of floats plus labels: nothing about where the numbers came from.
 *
 * <p>Arrays, lists and bit sets are copied on the way in and on the way out, so a snapshot can be
 * built on any thread and handed to the FX thread. Read single cells with {@link #value(int, int)},
 * which does not copy. Two equal-looking snapshots are not {@code equals}; compare {@link #values()}
 * with {@code Arrays.equals} if you need that. A grid that grows row by row is better built with
 * {@link HeatmapRows}, whose snapshots share its storage instead of copying it.
 *
 * <pre>{@code
 * HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, new float[] {0, 1, 2, 3, 4, 5},
 *         List.of("a", "b"), List.of("x", "y", "z"))
 *     .withMarked(HeatmapSnapshot.cells(3, new int[][] {{0, 2}, {1, 0}}))
 *     .withRowTags(new int[] {1, 2});
 * }</pre>
 */
public final class HeatmapSnapshot {

    /** A 0 x 0 grid: draws nothing. */
    public static final HeatmapSnapshot EMPTY = new HeatmapSnapshot(0, 0, new float[0], 0f, 1f, List.of(), List.of());

    private final int rows;
    private final int cols;
    private final float min;
    private final float max;
    // Storage, possibly shared with a HeatmapRows and longer than this grid: row r of this grid is storage row
    // first + r. Nothing below storage row first + rows is ever written again.
    private final int first;
    private final float[] values; // [storage row][col] flattened
    private final String[] rowLabels; // [storage row], null for none
    private final long[] marks; // bit (storage row · cols + col)
    private final int[] rowTags; // [storage row], null for none
    private final List<String> colLabels;
    private final int longestRowLabel;
    private final Object lineage; // the HeatmapRows run this grid is a moment of, or null
    private final long firstSerial; // serial number of row 0 within the lineage
    private int markState; // 0 = not yet known, 1 = has marks, 2 = none (racy but idempotent)

    /**
     * Validates and copies everything.
     *
     * @param rows      number of rows, at least 0
     * @param cols      number of columns, at least 0
     * @param values    the cells, row-major: {@code values[row * cols + col]}, length rows * cols
     * @param min       the value drawn at the low end of the colour scale
     * @param max       the value drawn at the high end; {@code max >= min}
     * @param rowLabels one label per row, or empty for none
     * @param colLabels one label per column, or empty for none
     * @param marked    cells to outline, bit {@code row * cols + col}; empty or null for none
     * @param rowTags   one small non-negative tag per row (0 = untagged), or empty or null for none
     */
    public HeatmapSnapshot(
            int rows,
            int cols,
            float[] values,
            float min,
            float max,
            List<String> rowLabels,
            List<String> colLabels,
            BitSet marked,
            int[] rowTags) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative grid size " + rows + "x" + cols);
        }
        Objects.requireNonNull(values, "values");
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    rows + "x" + cols + " grid needs " + (long) rows * cols + " values, got " + values.length);
        }
        checkRange(min, max);
        List<String> labels = copyLabels(rowLabels, rows, "row");
        this.colLabels = copyLabels(colLabels, cols, "column");
        BitSet bits = marked == null ? new BitSet() : marked;
        if (bits.length() > values.length) {
            throw new IllegalArgumentException("marked cell " + (bits.length() - 1) + " outside the grid");
        }
        int[] tags = rowTags == null || rowTags.length == 0 ? null : rowTags.clone();
        if (tags != null && tags.length != rows) {
            throw new IllegalArgumentException(rows + " rows need " + rows + " row tags, got " + tags.length);
        }
        for (int tag : tags == null ? new int[0] : tags) {
            if (tag < 0) {
                throw new IllegalArgumentException("row tags must be >= 0, got " + tag);
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.min = min;
        this.max = max;
        this.first = 0;
        this.values = values.clone();
        this.rowLabels = labels.isEmpty() ? null : labels.toArray(new String[0]);
        this.marks = bits.toLongArray();
        this.rowTags = tags;
        this.longestRowLabel = longest(labels);
        this.lineage = null;
        this.firstSerial = 0;
    }

    /** A grid with no marked cells and no row tags. */
    public HeatmapSnapshot(
            int rows, int cols, float[] values, float min, float max, List<String> rowLabels, List<String> colLabels) {
        this(rows, cols, values, min, max, rowLabels, colLabels, null, null);
    }

    /** Shares storage with {@link HeatmapRows}: no checks beyond the range, no copies. */
    HeatmapSnapshot(
            int first,
            int rows,
            int cols,
            float[] values,
            String[] rowLabels,
            long[] marks,
            int[] rowTags,
            List<String> colLabels,
            int longestRowLabel,
            float min,
            float max,
            Object lineage,
            long firstSerial) {
        checkRange(min, max);
        this.first = first;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.rowLabels = rowLabels;
        this.marks = marks;
        this.rowTags = rowTags;
        this.colLabels = colLabels;
        this.longestRowLabel = longestRowLabel;
        this.min = min;
        this.max = max;
        this.lineage = lineage;
        this.firstSerial = firstSerial;
    }

    /** A grid whose range is the smallest and largest value present ([0, 1] when there are none). */
    public static HeatmapSnapshot of(
            int rows, int cols, float[] values, List<String> rowLabels, List<String> colLabels) {
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
        return new HeatmapSnapshot(rows, cols, values(), min, max, rowLabels(), colLabels, cells, rowTags());
    }

    /** This grid with one tag per row (0 = untagged). */
    public HeatmapSnapshot withRowTags(int[] tags) {
        return new HeatmapSnapshot(rows, cols, values(), min, max, rowLabels(), colLabels, marked(), tags);
    }

    /** This grid drawn against a different value range (shares the cells, copies nothing). */
    public HeatmapSnapshot withRange(float newMin, float newMax) {
        return new HeatmapSnapshot(
                first,
                rows,
                cols,
                values,
                rowLabels,
                marks,
                rowTags,
                colLabels,
                longestRowLabel,
                newMin,
                newMax,
                lineage,
                firstSerial);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The value drawn at the low end of the colour scale. */
    public float min() {
        return min;
    }

    /** The value drawn at the high end; {@code max >= min}. */
    public float max() {
        return max;
    }

    /** A copy of the cells, row-major. */
    public float[] values() {
        return Arrays.copyOfRange(values, first * cols, (first + rows) * cols);
    }

    /** One label per row, or empty for none; unmodifiable, no copy. */
    public List<String> rowLabels() {
        return rowLabels == null
                ? List.of()
                : Collections.unmodifiableList(Arrays.asList(rowLabels).subList(first, first + rows));
    }

    /** One label per column, or empty for none. */
    public List<String> colLabels() {
        return colLabels;
    }

    /** Characters of the longest row label (at least; used to size the label column). */
    public int longestRowLabel() {
        return longestRowLabel;
    }

    /**
     * For a grid taken from a {@link HeatmapRows}: a token of the rows it grew from (null for any other grid).
     * Two grids of the same lineage hold the same row wherever they hold the same {@link #firstSerial() serial}:
     * same values, label, tag and outlines. A chart can then draw only the rows it has not drawn yet.
     */
    public Object lineage() {
        return lineage;
    }

    /** Serial number of row 0 within its {@link #lineage()}: rows appended before it, counting dropped ones. */
    public long firstSerial() {
        return firstSerial;
    }

    /** A copy of the outlined cells. */
    public BitSet marked() {
        BitSet bits = new BitSet();
        for (int i = nextMarkedCell(0); i >= 0; i = nextMarkedCell(i + 1)) {
            bits.set(i);
        }
        return bits;
    }

    /** A copy of the row tags (empty when there are none). */
    public int[] rowTags() {
        return rowTags == null ? new int[0] : Arrays.copyOfRange(rowTags, first, first + rows);
    }

    public boolean isEmpty() {
        return rows == 0 || cols == 0;
    }

    public float value(int row, int col) {
        return values[first * cols + index(row, col)];
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
        int bit = first * cols + index(row, col);
        int word = bit >>> 6;
        return word < marks.length && (marks[word] & (1L << bit)) != 0;
    }

    /** The first marked cell index ({@code row * cols + col}) at or after {@code fromIndex}, or -1. */
    public int nextMarkedCell(int fromIndex) {
        int base = first * cols;
        int end = base + rows * cols;
        int bit = base + Math.max(0, fromIndex);
        int word = bit >>> 6;
        if (bit >= end || word >= marks.length) {
            return -1;
        }
        long w = marks[word] & (-1L << bit);
        while (true) {
            if (w != 0) {
                int found = word * 64 + Long.numberOfTrailingZeros(w);
                return found < end ? found - base : -1;
            }
            word++;
            if (word >= marks.length || word * 64 >= end) {
                return -1;
            }
            w = marks[word];
        }
    }

    public boolean hasMarks() {
        if (markState == 0) {
            markState = nextMarkedCell(0) >= 0 ? 1 : 2;
        }
        return markState == 1;
    }

    public boolean hasRowTags() {
        return rowTags != null;
    }

    /** The row's tag, 0 when untagged or when the grid has no tags. */
    public int rowTag(int row) {
        Objects.checkIndex(row, rows);
        return rowTags == null ? 0 : rowTags[first + row];
    }

    /** The row's label, or "" when the grid has no row labels. */
    public String rowLabel(int row) {
        Objects.checkIndex(row, rows);
        return rowLabels == null ? "" : rowLabels[first + row];
    }

    /** The column's label, or "" when the grid has no column labels. */
    public String colLabel(int col) {
        Objects.checkIndex(col, cols);
        return colLabels.isEmpty() ? "" : colLabels.get(col);
    }

    @Override
    public String toString() {
        return "HeatmapSnapshot[" + rows + "x" + cols + ", range " + min + ".." + max + "]";
    }

    private int index(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return row * cols + col;
    }

    private static void checkRange(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || max < min) {
            throw new IllegalArgumentException("bad value range [" + min + ", " + max + "]");
        }
    }

    private static int longest(List<String> labels) {
        int longest = 0;
        for (String label : labels) {
            longest = Math.max(longest, label.length());
        }
        return longest;
    }

    private static List<String> copyLabels(List<String> labels, int count, String what) {
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        if (labels.size() != count) {
            throw new IllegalArgumentException(
                    count + " " + what + "s need " + count + " labels, got " + labels.size());
        }
        return List.copyOf(labels);
    }
}
