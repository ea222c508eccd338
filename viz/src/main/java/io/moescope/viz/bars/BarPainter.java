package io.moescope.viz.bars;

import io.moescope.viz.data.BarsSnapshot;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/** Draws a {@link BarsSnapshot} onto a canvas and returns the geometry it used. FX thread only. */
final class BarPainter {

    /** Resolved colours for one paint; {@code background} (may be null) backs the reference label. */
    record Colors(Color text, Color bar, Color highlight, Color reference, Color background) {}

    private final Font font = Font.font(11);
    private final double lineHeight;
    private final double charWidth;

    BarPainter() {
        Text probe = new Text("0123456789abcdefghij");
        probe.setFont(font);
        lineHeight = Math.ceil(probe.getLayoutBounds().getHeight());
        charWidth = probe.getLayoutBounds().getWidth() / 20;
    }

    BarGeometry paint(
            GraphicsContext g, double width, double height, BarsSnapshot bars, String referenceLabel, Colors colors) {
        g.clearRect(0, 0, width, height);
        String topTick = format(BarGeometry.niceCeiling(bars.maxValue() * 1.05));
        double axisWidth = Math.ceil((topTick.length() + 1) * charWidth) + 6;
        boolean labelled = !bars.labels().isEmpty();
        double bottomBand = labelled ? lineHeight + 4 : 2;
        BarGeometry geo = new BarGeometry(
                axisWidth,
                lineHeight / 2 + 2,
                width - axisWidth - 4,
                height - bottomBand - lineHeight / 2 - 2,
                bars.size(),
                bars.maxValue());
        if (geo.width() <= 0 || geo.height() <= 0) {
            return geo;
        }
        g.setFont(font);
        paintAxis(g, geo, colors.text());
        for (int i = 0; i < bars.size(); i++) {
            g.setFill(bars.isHighlighted(i) ? colors.highlight() : colors.bar());
            double y = geo.y(bars.value(i));
            g.fillRect(geo.barLeft(i), y, geo.barWidth(), geo.bottom() - y);
        }
        if (labelled) {
            paintLabels(g, geo, bars, colors.text());
        }
        if (bars.hasReference()) {
            paintReference(g, geo, bars.reference(), referenceLabel, colors);
        }
        return geo;
    }

    private void paintAxis(GraphicsContext g, BarGeometry geo, Color text) {
        g.setStroke(text.deriveColor(0, 1, 1, 0.45));
        g.setLineWidth(1);
        g.strokeLine(geo.left() - 0.5, geo.top(), geo.left() - 0.5, geo.bottom() + 0.5);
        g.strokeLine(geo.left() - 0.5, geo.bottom() + 0.5, geo.left() + geo.width(), geo.bottom() + 0.5);
        g.setFill(text);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(format(geo.topValue()), geo.left() - 4, geo.top());
        g.fillText("0", geo.left() - 4, geo.bottom());
    }

    private void paintLabels(GraphicsContext g, BarGeometry geo, BarsSnapshot bars, Color text) {
        int longest = 1;
        for (String label : bars.labels()) {
            longest = Math.max(longest, label.length());
        }
        double labelWidth = longest * charWidth + 6;
        int step = Math.max(1, (int) Math.ceil(labelWidth / Math.max(0.01, geo.slotWidth())));
        g.setFill(text);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (int i = 0; i < bars.size(); i += step) {
            g.fillText(bars.label(i), geo.barLeft(i) + geo.barWidth() / 2, geo.bottom() + 3);
        }
    }

    private void paintReference(GraphicsContext g, BarGeometry geo, double value, String label, Colors colors) {
        Color color = colors.reference();
        double y = Math.round(geo.y(value)) + 0.5;
        g.setStroke(color);
        g.setLineWidth(1.5);
        g.setLineDashes(6, 4);
        g.strokeLine(geo.left(), y, geo.left() + geo.width(), y);
        g.setLineDashes((double[]) null);
        g.setFill(color);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.BOTTOM);
        String text = (label.isEmpty() ? "" : label + " ") + format(value);
        if (colors.background() != null) { // keep the label readable where it crosses a bar
            double w = text.length() * charWidth + 4;
            g.setFill(colors.background().deriveColor(0, 1, 1, 0.8));
            g.fillRect(geo.left() + geo.width() - w, y - 2 - lineHeight, w, lineHeight);
            g.setFill(color);
        }
        g.fillText(text, geo.left() + geo.width() - 2, y - 2);
    }

    /** Up to three significant digits without trailing zeros. */
    static String format(double value) {
        if (Math.abs(value) >= 1e5 || (value != 0 && Math.abs(value) < 1e-3)) {
            return String.format("%.2e", value);
        }
        String text = String.format(Math.abs(value) >= 100 ? "%.0f" : "%.3g", value);
        if (text.contains(".") && !text.contains("e")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }
}
