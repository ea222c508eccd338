package io.moescope.viz.heatmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapLayoutTest {

    // 40 px row labels, no stripe, 20 px header, 10 px titles, 5 px gaps, no right pad
    private final HeatmapMetrics metrics = new HeatmapMetrics(40, 0, 20, 10, 5, 0);

    private static TitledHeatmap grid(String title, int rows, int cols) {
        return new TitledHeatmap(title, HeatmapSnapshot.of(rows, cols, new float[rows * cols], List.of(), List.of()));
    }

    @Test
    void fewRowsStretchUpToTheMaximumAndFitWithoutScrolling() {
        HeatmapLayout layout = new HeatmapLayout(List.of(grid("", 4, 8)), 440, 420, metrics, 2, 50, 0, true);
        assertEquals(50, layout.rowHeight());
        assertEquals(50, layout.cellWidth(0));
        assertEquals(0, layout.maxScroll());
        assertEquals(32, layout.visibleCellCount());
        assertArrayEquals(new int[] {0, 1, 2}, layout.cellAt(40 + 2 * 50 + 1, 20 + 50 + 49));
        assertNull(layout.cellAt(39, 30), "row label column");
        assertNull(layout.cellAt(100, 10), "header band");
        assertNull(layout.cellAt(100, 20 + 200 + 1), "below the last row");
    }

    @Test
    void manyRowsScrollAndFollowTheTail() {
        // 1000 rows at min height 4 px in a 400 px tall view: 100 rows visible
        HeatmapLayout layout = new HeatmapLayout(List.of(grid("", 1000, 8)), 440, 420, metrics, 4, 50, 0, true);
        assertEquals(4, layout.rowHeight());
        assertEquals(4000 - 400, layout.maxScroll());
        assertEquals(4000 - 400, layout.scroll());
        assertEquals(900, layout.firstVisibleRow(0));
        assertEquals(1000, layout.endVisibleRow(0));
        assertArrayEquals(new int[] {0, 999, 7}, layout.cellAt(439, 419));
    }

    @Test
    void requestedScrollIsClampedAndPartialRowsCount() {
        HeatmapLayout layout = new HeatmapLayout(List.of(grid("", 1000, 8)), 440, 420, metrics, 4, 50, 6, false);
        assertEquals(6, layout.scroll());
        assertEquals(1, layout.firstVisibleRow(0));
        assertEquals(102, layout.endVisibleRow(0)); // rows 1..101, first and last partly visible
        HeatmapLayout clamped = new HeatmapLayout(List.of(grid("", 1000, 8)), 440, 420, metrics, 4, 50, 1e9, false);
        assertEquals(3600, clamped.scroll());
    }

    @Test
    void stackedBlocksHaveTitlesAndGaps() {
        List<TitledHeatmap> blocks = List.of(grid("layer 0", 10, 4), grid("layer 1", 10, 4));
        HeatmapLayout layout = new HeatmapLayout(blocks, 440, 420, metrics, 2, 10, 0, false);
        // block 0: title 0..10, rows 10..110; gap; block 1: title 115..125, rows 125..225
        assertEquals(225, layout.contentHeight());
        assertEquals(20 + 125, layout.rowTop(1, 0));
        assertArrayEquals(new int[] {1, 0, 0}, layout.cellAt(41, 20 + 126));
        assertNull(layout.cellAt(41, 20 + 112), "gap between blocks");
        assertEquals(80, layout.visibleCellCount());
    }

    @Test
    void onlyVisibleRowsOfManyLargeBlocksCount() {
        List<TitledHeatmap> blocks = java.util.stream.IntStream.range(0, 16)
                .mapToObj(i -> grid("layer " + i, 4096, 64))
                .toList();
        HeatmapLayout layout = new HeatmapLayout(blocks, 680, 420, metrics, 3, 20, 0, true);
        assertEquals(layout.firstVisibleRow(0), layout.endVisibleRow(0), "first block scrolled away");
        assertEquals(15, layout.headerBlock());
        assertEquals(4095, layout.endVisibleRow(15) - 1);
        long visibleRows = (long) Math.ceil(400 / 3.0) + 1;
        assertEquals(true, layout.visibleCellCount() <= visibleRows * 64);
    }

    @Test
    void zeroSizeShowsNothing() {
        HeatmapLayout layout = new HeatmapLayout(List.of(grid("", 10, 4)), 0, 0, metrics, 2, 10, 0, true);
        assertEquals(0, layout.visibleCellCount());
        assertNull(layout.cellAt(0, 0));
    }
}
