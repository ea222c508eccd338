package io.moescope.viz.data;

import java.util.Arrays;
import java.util.List;

/**
 * A grid that grows at the bottom and shrinks at the top, one row at a time (one row per streamed token, say),
 * handing out {@link HeatmapSnapshot}s that share its storage: appending a row costs O(cols), dropping rows and
 * taking a snapshot O(1), where building a fresh snapshot would copy the whole grid.
 *
 * <p>Every row has a label and a tag (0 = untagged). Storage is only ever written past the last row; when it
 * is full the live rows move to new, larger arrays. A snapshot reads only rows that existed when it was taken,
 * so it never changes. One thread builds; the snapshots may be handed to any thread. Snapshots carry a
 * {@link HeatmapSnapshot#lineage() lineage} and row serials, so a chart can tell which rows it has drawn already.
 *
 * <pre>{@code
 * HeatmapRows rows = new HeatmapRows(64, expertLabels);
 * rows.append(scores, "17 the", 2, chosenExperts);   // per new token
 * rows.dropFirst(1);                                  // the oldest token was dropped
 * heatmap.setSnapshot(rows.snapshot(0f, 1f));
 * }</pre>
 */
public final class HeatmapRows {

    private final int cols;
    private final List<String> colLabels;
    private float[] values = new float[0]; // [storage row][col]
    private String[] labels = new String[0];
    private int[] tags = new int[0];
    private long[] marks = new long[0]; // bit storage row · cols + col
    private int first; // storage row of the first live row
    private int end; // storage row after the last live row
    private int longestLabel; // over every row appended since the last clear
    private Object lineage = new Object(); // new after a clear: the rows start over
    private long dropped; // rows dropped since the last clear (serial of the first live row)

    public HeatmapRows(int cols, List<String> colLabels) {
        if (cols < 0) {
            throw new IllegalArgumentException("negative column count " + cols);
        }
        if (!colLabels.isEmpty() && colLabels.size() != cols) {
            throw new IllegalArgumentException(cols + " columns need " + cols + " labels, got " + colLabels.size());
        }
        this.cols = cols;
        this.colLabels = List.copyOf(colLabels);
    }

    public int cols() {
        return cols;
    }

    /** Live rows. */
    public int rows() {
        return end - first;
    }

    /**
     * Appends a row.
     *
     * @param rowValues  {@code cols} values (copied)
     * @param label      the row's label
     * @param tag        the row's tag, at least 0
     * @param markedCols columns to outline in this row
     */
    public void append(float[] rowValues, String label, int tag, int[] markedCols) {
        if (rowValues.length != cols) {
            throw new IllegalArgumentException("a row needs " + cols + " values, got " + rowValues.length);
        }
        if (tag < 0) {
            throw new IllegalArgumentException("row tags must be >= 0, got " + tag);
        }
        if (end == labels.length) {
            grow();
        }
        System.arraycopy(rowValues, 0, values, end * cols, cols);
        labels[end] = label;
        tags[end] = tag;
        for (int c : markedCols) {
            if (c < 0 || c >= cols) {
                throw new IllegalArgumentException("column " + c + " outside 0.." + (cols - 1));
            }
            int bit = end * cols + c;
            marks[bit >>> 6] |= 1L << bit;
        }
        longestLabel = Math.max(longestLabel, label.length());
        end++;
    }

    /** Drops the first {@code n} rows (all of them when there are fewer). */
    public void dropFirst(int n) {
        int next = Math.min(end, first + Math.max(0, n));
        dropped += next - first;
        first = next;
    }

    /** Drops every row. Snapshots taken so far keep theirs. */
    public void clear() {
        values = new float[0];
        labels = new String[0];
        tags = new int[0];
        marks = new long[0];
        first = 0;
        end = 0;
        longestLabel = 0;
        lineage = new Object();
        dropped = 0;
    }

    /** The live rows as an immutable grid drawn against [min, max]; shares this builder's storage. */
    public HeatmapSnapshot snapshot(float min, float max) {
        return new HeatmapSnapshot(
                first,
                end - first,
                cols,
                values,
                labels,
                marks,
                tags,
                colLabels,
                longestLabel,
                min,
                max,
                lineage,
                dropped);
    }

    /** New arrays twice the live rows (at least 16), the live rows moved to the top; old arrays are left as they are. */
    private void grow() {
        int live = end - first;
        int capacity = Math.max(16, 2 * live);
        float[] v = new float[capacity * cols];
        System.arraycopy(values, first * cols, v, 0, live * cols);
        String[] l = Arrays.copyOfRange(labels, first, first + capacity);
        int[] t = Arrays.copyOfRange(tags, first, first + capacity);
        long[] m = new long[(capacity * cols + 63) >>> 6];
        int shift = first * cols;
        for (int bit = nextMark(shift); bit >= 0 && bit < end * cols; bit = nextMark(bit + 1)) {
            int moved = bit - shift;
            m[moved >>> 6] |= 1L << moved;
        }
        values = v;
        labels = l;
        tags = t;
        marks = m;
        first = 0;
        end = live;
    }

    private int nextMark(int from) {
        int word = from >>> 6;
        if (word >= marks.length) {
            return -1;
        }
        long w = marks[word] & (-1L << from);
        while (w == 0) {
            if (++word >= marks.length) {
                return -1;
            }
            w = marks[word];
        }
        return word * 64 + Long.numberOfTrailingZeros(w);
    }
}
