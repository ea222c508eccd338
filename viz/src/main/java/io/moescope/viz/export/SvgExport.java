package io.moescope.viz.export;

import io.moescope.viz.color.Argb;
import io.moescope.viz.color.ColorScale;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * SVG output for heatmaps and bar charts, pure Java (any thread). Small grids get one
 * {@code <rect>} per cell; grids above {@link #RECT_LIMIT} cells embed the cells as a PNG
 * {@code <image>} (one pixel per cell, drawn pixelated) under SVG text axes, so the file stays
 * small. Light background, dark text: meant for documents. Files are written atomically.
 */
public final class SvgExport {

    /** Largest grid written as individual rectangles. */
    public static final int RECT_LIMIT = 20_000;

    private static final String TEXT = "#222222";
    private static final double LABEL_WIDTH = 110;
    private static final double HEADER = 18;

    private SvgExport() {
    }

    public static void writeHeatmap(HeatmapSnapshot grid, ColorScale scale, Path target) throws IOException {
        byte[] bytes = heatmap(grid, scale).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(target, out -> out.write(bytes));
    }

    public static void writeBars(BarsSnapshot bars, int barRgb, int highlightRgb, Path target) throws IOException {
        byte[] bytes = bars(bars, barRgb, highlightRgb).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(target, out -> out.write(bytes));
    }

    /** The SVG text of a heatmap. */
    public static String heatmap(HeatmapSnapshot grid, ColorScale scale) {
        double cellWidth = grid.cols() == 0 ? 12 : Math.max(2, Math.min(14, 900.0 / grid.cols()));
        double cellHeight = grid.rows() == 0 ? 12 : Math.max(1, Math.min(14, 4000.0 / grid.rows()));
        double left = grid.rowLabels().isEmpty() ? 4 : LABEL_WIDTH;
        double top = grid.colLabels().isEmpty() ? 4 : HEADER;
        SvgWriter svg = new SvgWriter(left + grid.cols() * cellWidth + 4, top + grid.rows() * cellHeight + 4, "#ffffff");
        long cells = (long) grid.rows() * grid.cols();
        if (cells > RECT_LIMIT) {
            svg.image(left, top, grid.cols() * cellWidth, grid.rows() * cellHeight, png(grid, scale));
        } else {
            for (int r = 0; r < grid.rows(); r++) {
                for (int c = 0; c < grid.cols(); c++) {
                    int argb = scale.argb(grid.normalized(r, c));
                    if (Argb.alpha(argb) > 0) {
                        svg.rect(left + c * cellWidth, top + r * cellHeight, cellWidth, cellHeight, Argb.hex(argb));
                    }
                }
            }
        }
        for (int bit = grid.nextMarkedCell(0); bit >= 0 && bit < cells && cells <= RECT_LIMIT;
                bit = grid.nextMarkedCell(bit + 1)) {
            svg.outline(left + (bit % grid.cols()) * cellWidth, top + (bit / grid.cols()) * cellHeight,
                    cellWidth, cellHeight, "#ffffff");
        }
        int rowStep = Math.max(1, (int) Math.ceil(13 / cellHeight));
        for (int r = 0; r < grid.rows() && !grid.rowLabels().isEmpty(); r += rowStep) {
            svg.text(left - 4, top + (r + 0.5) * cellHeight, "end", TEXT, clip(grid.rowLabel(r), 18));
        }
        int colStep = Math.max(1, (int) Math.ceil(30 / cellWidth));
        for (int c = 0; c < grid.cols() && !grid.colLabels().isEmpty(); c += colStep) {
            svg.text(left + (c + 0.5) * cellWidth, top / 2, "middle", TEXT, clip(grid.colLabel(c), 6));
        }
        return svg.finish();
    }

    /** The SVG text of a bar chart with its reference line. */
    public static String bars(BarsSnapshot bars, int barRgb, int highlightRgb) {
        double slot = bars.size() == 0 ? 20 : Math.max(3, Math.min(28, 900.0 / bars.size()));
        double left = 44;
        double top = 10;
        double height = 180;
        SvgWriter svg = new SvgWriter(left + bars.size() * slot + 8, top + height + 22, "#ffffff");
        double topValue = bars.maxValue() > 0 ? bars.maxValue() * 1.08 : 1; // headroom
        for (int i = 0; i < bars.size(); i++) {
            double h = height * bars.value(i) / topValue;
            svg.rect(left + i * slot + slot * 0.1, top + height - h, slot * 0.8, h,
                    Argb.hex(bars.isHighlighted(i) ? highlightRgb : barRgb));
        }
        svg.line(left, top + height, left + bars.size() * slot, top + height, TEXT, false);
        svg.text(left - 4, top, "end", TEXT, String.format("%.3g", topValue));
        svg.text(left - 4, top + height, "end", TEXT, "0");
        if (bars.hasReference()) {
            double y = top + height - height * bars.reference() / topValue;
            svg.line(left, y, left + bars.size() * slot, y, "#d55e00", true);
        }
        int step = Math.max(1, (int) Math.ceil(24 / slot));
        for (int i = 0; i < bars.size() && !bars.labels().isEmpty(); i += step) {
            svg.text(left + (i + 0.5) * slot, top + height + 11, "middle", TEXT, clip(bars.label(i), 5));
        }
        return svg.finish();
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
