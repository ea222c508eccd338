package io.moescope.viz.heatmap;

import static io.moescope.viz.FxTestSupport.onFx;
import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.FxTestSupport;
import io.moescope.viz.data.HeatmapRows;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.event.Event;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeatmapCanvasTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    private static HeatmapSnapshot grid(int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        List<String> rowLabels =
                IntStream.range(0, rows).mapToObj(r -> "row" + r).toList();
        List<String> colLabels = IntStream.range(0, cols).mapToObj(c -> "c" + c).toList();
        return HeatmapSnapshot.of(rows, cols, values, rowLabels, colLabels);
    }

    private static HeatmapCanvas laidOut(HeatmapCanvas heatmap, double width, double height) {
        heatmap.resize(width, height);
        heatmap.layout();
        return heatmap;
    }

    private static MouseEvent mouse(javafx.event.EventType<MouseEvent> type, double x, double y) {
        return new MouseEvent(
                type,
                x,
                y,
                x,
                y,
                MouseButton.PRIMARY,
                1,
                false,
                false,
                false,
                false,
                true,
                false,
                false,
                false,
                false,
                true,
                null);
    }

    @Test
    void hoverAndClickReportTheCellUnderThePointer() throws Exception {
        runFx(() -> {
            HeatmapCanvas heatmap = new HeatmapCanvas();
            heatmap.setSnapshot(grid(3, 4));
            List<HeatmapCell> clicks = new ArrayList<>();
            heatmap.setOnCellClicked(clicks::add);
            laidOut(heatmap, 500, 300);

            double rowHeight = heatmap.getRowHeight();
            HeatmapCell corner = heatmap.cellAt(500 - 8, 300 - 1).orElse(null);
            assertNull(corner, "below the grid when three 22 px rows do not fill 300 px");
            // the header height depends on the font: find the first row's top by probing
            double top = IntStream.range(0, 100)
                    .filter(py -> heatmap.cellAt(490, py).isPresent())
                    .findFirst()
                    .orElseThrow();
            HeatmapCell cell = heatmap.cellAt(490, top + 2.5 * rowHeight).orElseThrow();
            assertEquals(2, cell.row());
            assertEquals(3, cell.col());
            assertEquals(11f, cell.value());
            assertEquals("row2", cell.rowLabel());
            assertEquals("c3", cell.colLabel());

            Event.fireEvent(heatmap, mouse(MouseEvent.MOUSE_MOVED, 490, top + 1.5 * rowHeight));
            assertEquals(1, heatmap.hoveredCellProperty().get().row());
            Event.fireEvent(heatmap, mouse(MouseEvent.MOUSE_CLICKED, 490, top + 0.5 * rowHeight));
            assertEquals(0, heatmap.clickedCellProperty().get().row());
            assertEquals(3, clicks.get(0).col());
            Event.fireEvent(heatmap, mouse(MouseEvent.MOUSE_EXITED, -1, -1));
            assertNull(heatmap.hoveredCellProperty().get());
        });
    }

    @Test
    void paintsOnlyVisibleCellsOfAHugeStack() throws Exception {
        runFx(() -> {
            HeatmapSnapshot big = grid(4096, 64)
                    .withMarked(HeatmapSnapshot.cells(64, new int[][] {{4095, 1}}))
                    .withRowTags(new int[4096]);
            List<TitledHeatmap> blocks = IntStream.range(0, 16)
                    .mapToObj(i -> new TitledHeatmap("layer " + i, big))
                    .toList();
            HeatmapCanvas heatmap = new HeatmapCanvas();
            heatmap.setStacked(blocks);
            laidOut(heatmap, 800, 600);

            long visible = heatmap.getVisibleCellCount();
            assertEquals(visible, heatmap.getPaintedCellCount());
            assertTrue(visible > 0 && visible <= (600 / 3 + 2) * 64L, "visible " + visible);
            HeatmapCell last = heatmap.cellAt(790 - 8, 599).orElseThrow();
            assertEquals(15, last.block());
            assertEquals(4095, last.row());

            heatmap.scrollBy(-1_000_000_000);
            heatmap.layout();
            assertEquals(0, heatmap.getScrollY());
            assertTrue(!heatmap.isFollowTail());
            assertEquals(heatmap.getVisibleCellCount(), heatmap.getPaintedCellCount());
        });
    }

    @Test
    void severalUpdatesBeforeALayoutPaintOnce() throws Exception {
        runFx(() -> {
            HeatmapCanvas heatmap = laidOut(new HeatmapCanvas(), 400, 300);
            long before = heatmap.getPaintCount();
            for (int rows = 1; rows <= 50; rows++) {
                heatmap.setSnapshot(grid(rows, 8));
            }
            heatmap.layout();
            assertEquals(before + 1, heatmap.getPaintCount());
            heatmap.layout();
            assertEquals(before + 1, heatmap.getPaintCount(), "nothing changed, no repaint");
        });
    }

    @Test
    void followTailKeepsTheNewestRowInView() throws Exception {
        runFx(() -> {
            HeatmapCanvas heatmap = new HeatmapCanvas();
            heatmap.setMinRowHeight(10);
            heatmap.setMaxRowHeight(10);
            laidOut(heatmap, 400, 300);
            for (int rows = 40; rows <= 200; rows += 10) { // 40 rows of 10 px overflow 300 px
                heatmap.setSnapshot(grid(rows, 4));
                heatmap.layout();
                assertEquals(heatmap.getMaxScrollY(), heatmap.getScrollY());
                assertEquals(
                        rows - 1,
                        heatmap.cellAt(390 - 8, 299).map(HeatmapCell::row).orElse(-1));
            }
        });
    }

    @Test
    void aGrowingGridDrawsOnlyItsNewRowsAndLooksLikeAFullPaint() throws Exception {
        runFx(() -> {
            HeatmapRows rows = new HeatmapRows(
                    8, IntStream.range(0, 8).mapToObj(c -> "c" + c).toList());
            HeatmapCanvas growing = new HeatmapCanvas();
            growing.setMinRowHeight(3);
            growing.setMaxRowHeight(3);
            laidOut(growing, 400, 300);
            for (int r = 0; r < 300; r++) {
                float[] v = new float[8];
                for (int c = 0; c < 8; c++) {
                    v[c] = (r * 7 + c * 3) % 11;
                }
                rows.append(v, "row" + r, 1 + r % 2, new int[] {r % 8});
                if (r % 5 == 4) {
                    growing.setSnapshot(rows.snapshot(0f, 10f));
                    growing.layout();
                    if (r > 200) { // the band is established: a frame draws only the five new rows
                        assertTrue(growing.getPaintedCellCount() == 5 * 8
                                || growing.getPaintedCellCount() == growing.getVisibleCellCount());
                    }
                }
            }
            HeatmapSnapshot last = rows.snapshot(0f, 10f);
            HeatmapSnapshot copy = new HeatmapSnapshot(
                    last.rows(),
                    last.cols(),
                    last.values(),
                    0f,
                    10f,
                    last.rowLabels(),
                    last.colLabels(),
                    last.marked(),
                    last.rowTags());
            HeatmapCanvas full = laidOut(new HeatmapCanvas(), 400, 300);
            full.setMinRowHeight(3);
            full.setMaxRowHeight(3);
            full.setSnapshot(copy);
            full.layout();
            assertEquals(299, growing.cellAt(380, 299).orElseThrow().row());
            WritableImage a = growing.toImage();
            WritableImage b = full.toImage();
            int cellsLeft = 60; // right of the row labels: stripes, cells, outlines
            int differing = 0;
            int labelPixels = 0;
            for (int y = 0; y < 300; y++) {
                for (int x = 0; x < 400 - 8; x++) { // not the scroll thumb
                    boolean differs = a.getPixelReader().getArgb(x, y)
                            != b.getPixelReader().getArgb(x, y);
                    differing += differs && x >= cellsLeft ? 1 : 0;
                    labelPixels += differs && x < cellsLeft ? 1 : 0;
                }
            }
            assertEquals(0, differing, "pixels that differ from a full paint");
            // the band also keeps the lower half of the label of the row just above the view
            assertTrue(labelPixels < 200, "label pixels that differ: " + labelPixels);
        });
    }

    @Test
    void exportsAnImageOfItsSize() throws Exception {
        WritableImage image = onFx(() -> {
            HeatmapCanvas heatmap = laidOut(new HeatmapCanvas(), 320, 200);
            heatmap.setSnapshot(grid(20, 10));
            heatmap.layout();
            return heatmap.toImage();
        });
        assertNotNull(image);
        assertEquals(320, image.getWidth());
        assertEquals(200, image.getHeight());
    }
}
