package io.moescope.viz.bars;

/**
 * Pure geometry of a bar chart: the plot rectangle, one slot per bar and the value-to-y mapping.
 * No JavaFX; immutable.
 */
final class BarGeometry {

    private final double left;
    private final double top;
    private final double width;
    private final double height;
    private final int count;
    private final double topValue;

    BarGeometry(double left, double top, double width, double height, int count, double maxValue) {
        this.left = left;
        this.top = top;
        this.width = Math.max(0, width);
        this.height = Math.max(0, height);
        this.count = count;
        this.topValue = niceCeiling(maxValue * 1.05); // a round number with headroom above the tallest bar
    }

    /** The smallest of 1, 2, 2.5, 5 x 10^k that is at least {@code value} (1 for nothing to show). */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * decade >= value * (1 - 1e-12)) {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    double left() {
        return left;
    }

    double top() {
        return top;
    }

    double width() {
        return width;
    }

    double height() {
        return height;
    }

    double bottom() {
        return top + height;
    }

    double topValue() {
        return topValue;
    }

    double slotWidth() {
        return count == 0 ? 0 : width / count;
    }

    /** Left edge of the bar itself (slots keep a gap of about a fifth, none when very narrow). */
    double barLeft(int index) {
        return left + index * slotWidth() + gap() / 2;
    }

    double barWidth() {
        return Math.max(0.5, slotWidth() - gap());
    }

    private double gap() {
        return slotWidth() >= 4 ? Math.max(1, slotWidth() * 0.2) : 0;
    }

    /** Screen y of a value. */
    double y(double value) {
        return bottom() - height * Math.max(0, value) / topValue;
    }

    /** The bar whose slot contains x (full plot height), or -1. */
    int barAt(double x, double y) {
        if (count == 0 || x < left || x >= left + width || y < top || y > bottom()) {
            return -1;
        }
        return Math.min(count - 1, (int) ((x - left) / slotWidth()));
    }
}
