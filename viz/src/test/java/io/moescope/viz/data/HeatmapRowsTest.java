package io.moescope.viz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeatmapRowsTest {

    private static final int COLS = 5;
    private final Random random = new Random(3);

    /** The reference: every live row, copied into a fresh snapshot. */
    private final List<float[]> rowValues = new ArrayList<>();

    private final List<String> rowLabels = new ArrayList<>();
    private final List<Integer> rowTags = new ArrayList<>();
    private final List<int[]> rowMarks = new ArrayList<>();

    @Test
    void appendedAndDroppedRowsEqualAFreshSnapshot() {
        HeatmapRows rows = new HeatmapRows(COLS, List.of("a", "b", "c", "d", "e"));
        List<HeatmapSnapshot> taken = new ArrayList<>();
        List<HeatmapSnapshot> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            append(rows, i);
            if (i % 3 == 0) {
                rows.dropFirst(1);
                dropReference(1);
            }
            if (i % 50 == 49) {
                rows.dropFirst(20);
                dropReference(20);
            }
            HeatmapSnapshot s = rows.snapshot(0f, 2f);
            assertSame(reference(), s);
            taken.add(s);
            expected.add(reference());
        }
        // snapshots taken earlier never change, whatever was appended, dropped or moved since
        for (int i = 0; i < taken.size(); i += 7) {
            assertSame(expected.get(i), taken.get(i));
        }
    }

    @Test
    void clearEmptiesButKeepsOldSnapshots() {
        HeatmapRows rows = new HeatmapRows(COLS, List.of());
        append(rows, 0);
        append(rows, 1);
        HeatmapSnapshot before = rows.snapshot(0f, 1f);
        rows.clear();
        assertEquals(0, rows.snapshot(0f, 1f).rows());
        assertEquals(2, before.rows());
        assertEquals("row 1", before.rowLabel(1));
        assertTrue(before.hasMarks());
    }

    @Test
    void rejectsBadRows() {
        HeatmapRows rows = new HeatmapRows(COLS, List.of());
        assertThrows(IllegalArgumentException.class, () -> rows.append(new float[2], "x", 0, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> rows.append(new float[COLS], "x", -1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> rows.append(new float[COLS], "x", 0, new int[] {COLS}));
        assertThrows(IllegalArgumentException.class, () -> new HeatmapRows(2, List.of("only one")));
    }

    private void append(HeatmapRows rows, int i) {
        float[] v = new float[COLS];
        for (int c = 0; c < COLS; c++) {
            v[c] = random.nextFloat() * 2;
        }
        int[] marked = random.nextInt(4) == 0 ? new int[0] : new int[] {random.nextInt(COLS)};
        String label = "row " + i;
        int tag = i % 3;
        float[] kept = v.clone();
        rows.append(v, label, tag, marked);
        v[0] = -1; // the builder copied the row
        rowValues.add(kept);
        rowLabels.add(label);
        rowTags.add(tag);
        rowMarks.add(marked);
    }

    private void dropReference(int n) {
        for (int i = 0; i < n && !rowValues.isEmpty(); i++) {
            rowValues.remove(0);
            rowLabels.remove(0);
            rowTags.remove(0);
            rowMarks.remove(0);
        }
    }

    private HeatmapSnapshot reference() {
        int n = rowValues.size();
        float[] values = new float[n * COLS];
        BitSet marked = new BitSet();
        int[] tags = new int[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rowValues.get(r), 0, values, r * COLS, COLS);
            for (int c : rowMarks.get(r)) {
                marked.set(r * COLS + c);
            }
            tags[r] = rowTags.get(r);
        }
        return new HeatmapSnapshot(
                n, COLS, values, 0f, 2f, List.copyOf(rowLabels), List.of("a", "b", "c", "d", "e"), marked, tags);
    }

    private static void assertSame(HeatmapSnapshot expected, HeatmapSnapshot actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertArrayEquals(expected.values(), actual.values());
        assertEquals(expected.marked(), actual.marked());
        assertEquals(expected.rowLabels(), actual.rowLabels());
        assertArrayEquals(expected.rowTags(), actual.rowTags());
        assertTrue(actual.longestRowLabel() >= expected.longestRowLabel());
        for (int r = 0; r < actual.rows(); r++) {
            for (int c = 0; c < COLS; c++) {
                assertEquals(expected.isMarked(r, c), actual.isMarked(r, c));
                assertEquals(expected.value(r, c), actual.value(r, c));
            }
        }
        int a = actual.nextMarkedCell(0);
        int e = expected.nextMarkedCell(0);
        while (a >= 0 || e >= 0) {
            assertEquals(e, a);
            a = actual.nextMarkedCell(a + 1);
            e = expected.nextMarkedCell(e + 1);
        }
        assertEquals(expected.hasMarks(), actual.hasMarks());
        assertFalse(actual.colLabels().isEmpty());
    }
}
