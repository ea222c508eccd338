package io.moescope.viz.export;

import io.moescope.base.AtomicFiles;
import io.moescope.viz.color.Argb;
import io.moescope.viz.color.ColorScale;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledBars;
import io.moescope.viz.data.TitledHeatmap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * SVG output for heatmaps and bar charts (one, or several stacked under titles), pure Java (any thread). Small grids get one
 * {@code <rect>} per cell; grids above {@link #RECT_LIMIT} cells embed the cells as a PNG
 * {@code <image>} (one pixel per cell, drawn pixelated) under SVG text axes, so the file stays
 * small. Light background, dark text: meant for documents. Files are written atomically.
 */
public final class SvgExport {

    /** Largest grid written as individual rectangles. */
    public static final int RECT_LIMIT = 20_000;

    /** The bar colour of the light theme (viz.css {@code -viz-bar}), which exported charts use: Okabe-Ito blue. */
    public static final int BAR_RGB = 0x0072b2;

    /** A highlighted bar (viz.css {@code -viz-bar-highlight}): Okabe-Ito vermillion. */
    public static final int HIGHLIGHT_RGB = 0xd55e00;

    private static final String TEXT = "#222222";
    private static final double LABEL_WIDTH = 110;
    private static final double HEADER = 18;
    private static final double TITLE = 20;
    private static final double GAP = 10;
    private static final double BAR_LEFT = 44;
    private static final double BAR_HEIGHT = 180;

    private SvgExport() {}

    public static void writeHeatmap(HeatmapSnapshot grid, ColorScale scale, Path target) throws IOException {
        byte[] bytes = heatmap(grid, scale).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeCreatingFolders(target, out -> out.write(bytes));
    }

    public static void writeBars(BarsSnapshot bars, int barRgb, int highlightRgb, Path target) throws IOException {
        byte[] bytes = bars(bars, barRgb, highlightRgb).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeCreatingFolders(target, out -> out.write(bytes));
    }

    /** The SVG text of a heatmap. */
    public static String heatmap(HeatmapSnapshot grid, ColorScale scale) {
        return stacked(List.of(new TitledHeatmap("", grid)), scale);
    }

    /** Several heatmaps stacked top to bottom, each under its title, as one SVG (see {@link #stacked}). */
    public static void writeStacked(List<TitledHeatmap> blocks, ColorScale scale, Path target) throws IOException {
        byte[] bytes = stacked(blocks, scale).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeCreatingFolders(target, out -> out.write(bytes));
    }

    /**
     * The SVG text of heatmaps stacked top to bottom, as {@code HeatmapCanvas} shows them: one
     * {@code <g class="heatmap-block">} per block with its title, column labels, row labels and cells. All blocks
     * share the cell size; the {@link #RECT_LIMIT} applies to the cells of all blocks together.
     */
    public static String stacked(List<TitledHeatmap> blocks, ColorScale scale) {
        int cols = 0;
        long rows = 0;
        long cells = 0;
        boolean rowLabels = false;
        for (TitledHeatmap block : blocks) {
            HeatmapSnapshot grid = block.snapshot();
            cols = Math.max(cols, grid.cols());
            rows += grid.rows();
            cells += (long) grid.rows() * grid.cols();
            rowLabels |= !grid.rowLabels().isEmpty();
        }
        double cellWidth = cols == 0 ? 12 : Math.max(2, Math.min(14, 900.0 / cols));
        double cellHeight = rows == 0 ? 12 : Math.max(1, Math.min(14, 4000.0 / rows));
        double left = rowLabels ? LABEL_WIDTH : 4;
        double height = 4;
        for (int b = 0; b < blocks.size(); b++) {
            height += blockHeight(blocks.get(b), cellHeight) + (b > 0 ? GAP : 0);
        }
        SvgWriter svg = new SvgWriter(left + cols * cellWidth + 4, Math.max(height, 8), "#ffffff");
        boolean raster = cells > RECT_LIMIT;
        double y = 0;
        for (int b = 0; b < blocks.size(); b++) {
            y += b > 0 ? GAP : 0;
            block(svg, blocks.get(b), scale, left, y, cellWidth, cellHeight, raster);
            y += blockHeight(blocks.get(b), cellHeight);
        }
        return svg.finish();
    }

    private static double blockHeight(TitledHeatmap block, double cellHeight) {
        HeatmapSnapshot grid = block.snapshot();
        return (block.title().isEmpty() ? 0 : TITLE)
                + (grid.colLabels().isEmpty() ? 4 : HEADER)
                + grid.rows() * cellHeight;
    }

    private static void block(
            SvgWriter svg,
            TitledHeatmap block,
            ColorScale scale,
            double left,
            double y,
            double cellWidth,
            double cellHeight,
            boolean raster) {
        HeatmapSnapshot grid = block.snapshot();
        svg.openGroup("heatmap-block", block.title());
        if (!block.title().isEmpty()) {
            svg.title(2, y + TITLE / 2, TEXT, block.title());
            y += TITLE;
        }
        double header = grid.colLabels().isEmpty() ? 4 : HEADER;
        double top = y + header;
        long cells = (long) grid.rows() * grid.cols();
        if (raster) {
            if (cells > 0) {
                svg.image(left, top, grid.cols() * cellWidth, grid.rows() * cellHeight, png(grid, scale));
            }
        } else {
            for (int r = 0; r < grid.rows(); r++) {
                for (int c = 0; c < grid.cols(); c++) {
                    int argb = scale.argb(grid.normalized(r, c));
                    if (Argb.alpha(argb) > 0) {
                        svg.rect(left + c * cellWidth, top + r * cellHeight, cellWidth, cellHeight, Argb.hex(argb));
                    }
                }
            }
            for (int bit = grid.nextMarkedCell(0); bit >= 0 && bit < cells; bit = grid.nextMarkedCell(bit + 1)) {
                svg.outline(
                        left + (bit % grid.cols()) * cellWidth,
                        top + (bit / grid.cols()) * cellHeight,
                        cellWidth,
                        cellHeight,
                        "#ffffff");
            }
        }
        int rowStep = Math.max(1, (int) Math.ceil(13 / cellHeight));
        for (int r = 0; r < grid.rows() && !grid.rowLabels().isEmpty(); r += rowStep) {
            svg.text(left - 4, top + (r + 0.5) * cellHeight, "end", TEXT, clip(grid.rowLabel(r), 18));
        }
        int colStep = Math.max(1, (int) Math.ceil(30 / cellWidth));
        for (int c = 0; c < grid.cols() && !grid.colLabels().isEmpty(); c += colStep) {
            svg.text(left + (c + 0.5) * cellWidth, y + header / 2, "middle", TEXT, clip(grid.colLabel(c), 6));
        }
        svg.closeGroup();
    }

    /** The SVG text of a bar chart with its reference line. */
    public static String bars(BarsSnapshot bars, int barRgb, int highlightRgb) {
        return stackedBars(List.of(new TitledBars("", bars)), barRgb, highlightRgb);
    }

    /** Several bar charts stacked top to bottom, each under its title, as one SVG file. */
    public static void writeStackedBars(List<TitledBars> charts, int barRgb, int highlightRgb, Path target)
            throws IOException {
        byte[] bytes = stackedBars(charts, barRgb, highlightRgb).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeCreatingFolders(target, out -> out.write(bytes));
    }

    /**
     * The SVG text of bar charts stacked top to bottom: one {@code <g class="bars-block">} per chart with its
     * title, bars, baseline, scale and (where set) dashed reference line.
     */
    public static String stackedBars(List<TitledBars> charts, int barRgb, int highlightRgb) {
        double width = 0;
        double height = 0;
        for (int i = 0; i < charts.size(); i++) {
            width = Math.max(
                    width,
                    BAR_LEFT + charts.get(i).bars().size() * slot(charts.get(i).bars()) + 8);
            height += barsHeight(charts.get(i)) + (i > 0 ? GAP : 0);
        }
        SvgWriter svg = new SvgWriter(Math.max(width, 8), Math.max(height, 8), "#ffffff");
        double y = 0;
        for (int i = 0; i < charts.size(); i++) {
            y += i > 0 ? GAP : 0;
            barsBlock(svg, charts.get(i), y, barRgb, highlightRgb);
            y += barsHeight(charts.get(i));
        }
        return svg.finish();
    }

    private static double slot(BarsSnapshot bars) {
        return bars.size() == 0 ? 20 : Math.max(3, Math.min(28, 900.0 / bars.size()));
    }

    private static double barsHeight(TitledBars chart) {
        return (chart.title().isEmpty() ? 0 : TITLE) + 10 + BAR_HEIGHT + 22;
    }

    private static void barsBlock(SvgWriter svg, TitledBars chart, double y, int barRgb, int highlightRgb) {
        BarsSnapshot bars = chart.bars();
        svg.openGroup("bars-block", chart.title());
        if (!chart.title().isEmpty()) {
            svg.title(2, y + TITLE / 2, TEXT, chart.title());
            y += TITLE;
        }
        double slot = slot(bars);
        double left = BAR_LEFT;
        double top = y + 10;
        double height = BAR_HEIGHT;
        double topValue = bars.maxValue() > 0 ? bars.maxValue() * 1.08 : 1; // headroom
        for (int i = 0; i < bars.size(); i++) {
            double h = height * bars.value(i) / topValue;
            svg.rect(
                    left + i * slot + slot * 0.1,
                    top + height - h,
                    slot * 0.8,
                    h,
                    Argb.hex(bars.isHighlighted(i) ? highlightRgb : barRgb));
        }
        svg.line(left, top + height, left + bars.size() * slot, top + height, TEXT, false);
        svg.text(left - 4, top, "end", TEXT, String.format("%.3g", topValue));
        svg.text(left - 4, top + height, "end", TEXT, "0");
        if (bars.hasReference()) {
            double ref = top + height - height * bars.reference() / topValue;
            svg.line(left, ref, left + bars.size() * slot, ref, "#d55e00", true);
        }
        int step = Math.max(1, (int) Math.ceil(24 / slot));
        for (int i = 0; i < bars.size() && !bars.labels().isEmpty(); i += step) {
            svg.text(left + (i + 0.5) * slot, top + height + 11, "middle", TEXT, clip(bars.label(i), 5));
        }
        svg.closeGroup();
    }

    private static String png(HeatmapSnapshot grid, ColorScale scale) {
        BufferedImage image = new BufferedImage(grid.cols(), grid.rows(), BufferedImage.TYPE_INT_ARGB);
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.cols(); c++) {
                image.setRGB(c, r, scale.argb(grid.normalized(r, c)));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String clip(String label, int maxChars) {
        return label.length() <= maxChars ? label : label.substring(0, maxChars - 1) + "\u2026";
    }
}
