package io.moescope.viz.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.color.Palettes;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvgExportTest {

    @TempDir
    Path dir;

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void smallGridsGetOneRectPerCellAndEscapedLabels() {
        HeatmapSnapshot grid = HeatmapSnapshot.of(2, 3, new float[] {0, 1, 2, 3, 4, 5},
                List.of("<a&b>", "x"), List.of("0", "1", "2"))
                .withMarked(HeatmapSnapshot.cells(3, new int[][] {{1, 1}}));
        String svg = SvgExport.heatmap(grid, Palettes.viridis());
        assertEquals(1 + 6 + 1, count(svg, "<rect"), "background + cells + one outline");
        assertTrue(svg.contains("&lt;a&amp;b&gt;"));
        assertTrue(svg.contains("fill=\"#440154\""));
        assertFalse(svg.contains("<image"));
    }

    @Test
    void largeGridsEmbedAPng() {
        int rows = 1024;
        int cols = 64;
        HeatmapSnapshot grid = HeatmapSnapshot.of(rows, cols, new float[rows * cols], List.of(), List.of());
        String svg = SvgExport.heatmap(grid, Palettes.magma());
        assertEquals(1, count(svg, "<image"));
        assertEquals(1, count(svg, "<rect"));
        assertTrue(svg.contains("data:image/png;base64,"));
    }

    @Test
    void barsHaveOneRectEachAndADashedReference() {
        BarsSnapshot bars = BarsSnapshot.of(new float[] {1, 2, 3}, List.of("a", "b", "c")).withMeanReference();
        String svg = SvgExport.bars(bars, 0x0072b2, 0xd55e00);
        assertEquals(1 + 3, count(svg, "<rect"));
        assertEquals(1, count(svg, "stroke-dasharray"));
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("out/grid.svg");
        HeatmapSnapshot grid = HeatmapSnapshot.of(1, 1, new float[] {1}, List.of(), List.of());
        SvgExport.writeHeatmap(grid, Palettes.viridis(), target);
        SvgExport.writeHeatmap(grid, Palettes.viridis(), target); // replaces
        assertTrue(Files.readString(target).startsWith("<?xml"));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
