package io.moescope.viz.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.color.Palettes;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledBars;
import io.moescope.viz.data.TitledHeatmap;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

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
        HeatmapSnapshot grid = HeatmapSnapshot.of(
                        2, 3, new float[] {0, 1, 2, 3, 4, 5}, List.of("<a&b>", "x"), List.of("0", "1", "2"))
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
        BarsSnapshot bars =
                BarsSnapshot.of(new float[] {1, 2, 3}, List.of("a", "b", "c")).withMeanReference();
        String svg = SvgExport.bars(bars, 0x0072b2, 0xd55e00);
        assertEquals(1 + 3, count(svg, "<rect"));
        assertEquals(1, count(svg, "stroke-dasharray"));
    }

    @Test
    void stackedBarsGiveEachChartItsGroupAndTitle() {
        BarsSnapshot a = BarsSnapshot.of(new float[] {1, 2}, List.of("x", "y"));
        BarsSnapshot b = BarsSnapshot.of(new float[] {3, 1, 2}, List.of()).withMeanReference();
        String svg = SvgExport.stackedBars(
                List.of(new TitledBars("first & one", a), new TitledBars("second", b)), 0x0072b2, 0xd55e00);
        assertEquals(2, count(svg, "class=\"bars-block\""));
        assertEquals(1 + 2 + 3, count(svg, "<rect"));
        assertEquals(1, count(svg, "stroke-dasharray"));
        assertTrue(svg.contains("first &amp; one") && svg.contains(">second<"), svg);
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

    @Test
    void stackedLayersGiveOneTitledBlockPerLayerWithAllRows() throws Exception {
        int layers = 3;
        int rows = 5;
        int cols = 4;
        List<TitledHeatmap> blocks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i * (l + 1)) % 7;
            }
            List<String> tokens = List.of("a", "b", "c", "d", "e");
            blocks.add(new TitledHeatmap(
                    "layer " + (l + 1),
                    HeatmapSnapshot.of(rows, cols, values, tokens, List.of("0", "1", "2", "3"))
                            .withMarked(HeatmapSnapshot.cells(cols, new int[][] {{l, l}}))));
        }
        Path target = dir.resolve("stacked.svg");
        SvgExport.writeStacked(blocks, Palettes.viridis(), target);

        Document svg = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new InputSource(new StringReader(Files.readString(target))));
        NodeList groups = svg.getElementsByTagName("g");
        assertEquals(layers, groups.getLength());
        double previousBottom = -1;
        for (int l = 0; l < layers; l++) {
            Element block = (Element) groups.item(l);
            assertEquals("heatmap-block", block.getAttribute("class"));
            Element title = (Element) block.getElementsByTagName("text").item(0);
            assertEquals("block-title", title.getAttribute("class"));
            assertEquals("layer " + (l + 1), title.getTextContent());
            NodeList rects = block.getElementsByTagName("rect");
            List<Double> rowTops = new ArrayList<>();
            int cells = 0;
            int outlines = 0;
            for (int i = 0; i < rects.getLength(); i++) {
                Element rect = (Element) rects.item(i);
                if ("none".equals(rect.getAttribute("fill"))) {
                    outlines++;
                    continue;
                }
                cells++;
                double y = Double.parseDouble(rect.getAttribute("y"));
                if (!rowTops.contains(y)) {
                    rowTops.add(y);
                }
                previousBottom = Math.max(previousBottom, y);
            }
            assertEquals(rows * cols, cells, "every cell of layer " + (l + 1));
            assertEquals(rows, rowTops.size(), "one rect row per token in layer " + (l + 1));
            assertEquals(1, outlines);
            double titleY = Double.parseDouble(title.getAttribute("y"));
            assertTrue(titleY < rowTops.get(0), "title above its rows");
            if (l > 0) {
                Element above = (Element) groups.item(l - 1);
                NodeList aboveRects = above.getElementsByTagName("rect");
                double aboveLast =
                        Double.parseDouble(((Element) aboveRects.item(aboveRects.getLength() - 1)).getAttribute("y"));
                assertTrue(titleY > aboveLast, "blocks do not overlap");
            }
        }
        double height = Double.parseDouble(svg.getDocumentElement().getAttribute("height"));
        assertTrue(height > previousBottom, "the canvas holds the last block");
    }

    @Test
    void oneHeatmapIsOneUntitledBlock() {
        HeatmapSnapshot grid = HeatmapSnapshot.of(1, 2, new float[] {0, 1}, List.of(), List.of());
        String svg = SvgExport.heatmap(grid, Palettes.viridis());
        assertEquals(1, count(svg, "<g class=\"heatmap-block\">"));
        assertFalse(svg.contains("block-title"));
    }
}
