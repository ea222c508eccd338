package io.moescope.viz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapSnapshotTest {

    private final float[] six = {0, 1, 2, 3, 4, 5};

    @Test
    void readsRowMajorCellsAndComputesRange() {
        HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, six, List.of("a", "b"), List.of("x", "y", "z"));

        assertEquals(5f, grid.value(1, 2));
        assertEquals(3f, grid.value(1, 0));
        assertEquals(0f, grid.min());
        assertEquals(5f, grid.max());
        assertEquals(0.4, grid.normalized(0, 2), 1e-6);
        assertEquals("b", grid.rowLabel(1));
        assertEquals("z", grid.colLabel(2));
    }

    @Test
    void copiesArraysInAndOut() {
        float[] values = six.clone();
        BitSet marks = new BitSet();
        marks.set(4);
        HeatmapSnapshot grid =
                HeatmapSnapshot.of(2, 3, values, List.of(), List.of()).withMarked(marks);

        values[0] = 99;
        marks.set(0);
        grid.values()[1] = 99;
        grid.marked().set(1);

        assertEquals(0f, grid.value(0, 0));
        assertEquals(1f, grid.value(0, 1));
        assertFalse(grid.isMarked(0, 0));
        assertFalse(grid.isMarked(0, 1));
        assertTrue(grid.isMarked(1, 1));
    }

    @Test
    void rejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new HeatmapSnapshot(2, 2, six, 0, 1, List.of(), List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new HeatmapSnapshot(2, 3, six, 0, 1, List.of("only one"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new HeatmapSnapshot(2, 3, six, 2, 1, List.of(), List.of()));
        HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, six, List.of(), List.of());
        BitSet outside = new BitSet();
        outside.set(6);
        assertThrows(IllegalArgumentException.class, () -> grid.withMarked(outside));
        assertThrows(IllegalArgumentException.class, () -> grid.withRowTags(new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> grid.withRowTags(new int[] {1, -1}));
        assertThrows(IndexOutOfBoundsException.class, () -> grid.value(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> grid.value(0, 3));
    }

    @Test
    void rowTagsDefaultToZeroAndCanBeSet() {
        HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, six, List.of(), List.of());
        assertFalse(grid.hasRowTags());
        assertEquals(0, grid.rowTag(1));
        HeatmapSnapshot tagged = grid.withRowTags(new int[] {1, 2});
        assertEquals(2, tagged.rowTag(1));
        assertArrayEquals(new int[] {1, 2}, tagged.rowTags());
    }

    @Test
    void cellsHelperSetsRowMajorBits() {
        BitSet bits = HeatmapSnapshot.cells(3, new int[][] {{0, 2}, {1, 0}});
        assertEquals(BitSet.valueOf(new long[] {(1L << 2) | (1L << 3)}), bits);
    }

    @Test
    void emptyAndConstantGridsNormalizeSafely() {
        assertTrue(HeatmapSnapshot.EMPTY.isEmpty());
        HeatmapSnapshot flat = HeatmapSnapshot.of(1, 2, new float[] {3, 3}, List.of(), List.of());
        assertEquals(0.0, flat.normalized(0, 1));
        HeatmapSnapshot nan = HeatmapSnapshot.of(1, 2, new float[] {Float.NaN, 1}, List.of(), List.of());
        assertTrue(Double.isNaN(nan.normalized(0, 0)));
    }
}
