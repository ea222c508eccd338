package io.moescope.viz.heatmap;

import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Cheap label sizing for crowded axes: measures the font once, then estimates widths by character
 * count, so that sizing thousands of labels costs no text layout. FX thread only.
 */
final class LabelFitter {

    private static final String SAMPLE = "abcdefghijklmnopqrstuvwxyz0123456789 ABCDEFGH";

    private final Font font;
    private final double charWidth;
    private final double lineHeight;

    LabelFitter(Font font) {
        this.font = font;
        Text probe = new Text(SAMPLE);
        probe.setFont(font);
        this.charWidth = probe.getLayoutBounds().getWidth() / SAMPLE.length();
        this.lineHeight = Math.ceil(probe.getLayoutBounds().getHeight());
    }

    Font font() {
        return font;
    }

    double lineHeight() {
        return lineHeight;
    }

    /** Estimated width of a label of this many characters. */
    double width(int characters) {
        return Math.ceil(characters * charWidth * 1.1);
    }

    /** The label made printable (line breaks and tabs shown as escapes) and cut to fit maxWidth. */
    String fit(String label, double maxWidth) {
        String printable = printable(label);
        int maxChars = (int) Math.floor(maxWidth / (charWidth * 1.1));
        if (printable.length() <= maxChars) {
            return printable;
        }
        return maxChars <= 1 ? "" : printable.substring(0, maxChars - 1) + "\u2026";
    }

    /** Draw every n-th of evenly spaced labels so that labels of {@code extent} px do not overlap. */
    static int thinningStep(double spacing, double extent) {
        if (spacing <= 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, (int) Math.ceil(extent / spacing));
    }

    static String printable(String label) {
        if (label.indexOf('\n') < 0 && label.indexOf('\t') < 0 && label.indexOf('\r') < 0) {
            return label;
        }
        return label.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
