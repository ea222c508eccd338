package io.moescope.viz.data;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Immutable input for a bar chart: one value per bar, optional labels, highlighted bars and a
 * horizontal reference line (for example the mean). Arrays and bit sets are copied in and out.
 *
 * <pre>{@code
 * BarsSnapshot load = BarsSnapshot.of(new float[] {12, 30, 7}, List.of("0", "1", "2"))
 *     .withHighlighted(1)
 *     .withMeanReference();
 * }</pre>
 *
 * @param values      bar heights, finite and non-negative
 * @param labels      one label per bar, or empty for none
 * @param highlighted bars drawn in the highlight colour, bit = bar index; empty for none
 * @param reference   the y value of a horizontal reference line, or NaN for none
 */
public record BarsSnapshot(float[] values, List<String> labels, BitSet highlighted, double reference) {

    /** No bars. */
    public static final BarsSnapshot EMPTY = of(new float[0], List.of());

    /** Validates and copies everything. */
    public BarsSnapshot {
        Objects.requireNonNull(values, "values");
        for (float v : values) {
            if (!Float.isFinite(v) || v < 0f) {
                throw new IllegalArgumentException("bar values must be finite and >= 0, got " + v);
            }
        }
        labels = labels == null || labels.isEmpty() ? List.of() : List.copyOf(labels);
        if (!labels.isEmpty() && labels.size() != values.length) {
            throw new IllegalArgumentException(
                    values.length + " bars need " + values.length + " labels, got " + labels.size());
        }
        highlighted = highlighted == null ? new BitSet() : (BitSet) highlighted.clone();
        if (highlighted.length() > values.length) {
            throw new IllegalArgumentException("highlighted bar " + (highlighted.length() - 1) + " out of range");
        }
        if (Double.isInfinite(reference)) {
            throw new IllegalArgumentException("reference must be finite or NaN");
        }
        values = values.clone();
    }

    /** Bars with labels, no highlight, no reference line. */
    public static BarsSnapshot of(float[] values, List<String> labels) {
        return new BarsSnapshot(values, labels, null, Double.NaN);
    }

    /** These bars with the given indices highlighted (replacing any earlier highlight). */
    public BarsSnapshot withHighlighted(int... indices) {
        BitSet bits = new BitSet();
        for (int index : indices) {
            Objects.checkIndex(index, values.length);
            bits.set(index);
        }
        return new BarsSnapshot(values, labels, bits, reference);
    }

    /** These bars with a reference line at {@code y}, or none for NaN. */
    public BarsSnapshot withReference(double y) {
        return new BarsSnapshot(values, labels, highlighted, y);
    }

    /** These bars with a reference line at their mean (none when there are no bars). */
    public BarsSnapshot withMeanReference() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return withReference(values.length == 0 ? Double.NaN : sum / values.length);
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public BitSet highlighted() {
        return (BitSet) highlighted.clone();
    }

    public int size() {
        return values.length;
    }

    public float value(int index) {
        return values[index];
    }

    public boolean isHighlighted(int index) {
        Objects.checkIndex(index, values.length);
        return highlighted.get(index);
    }

    public boolean hasReference() {
        return !Double.isNaN(reference);
    }

    /** The label of a bar, or "" when there are none. */
    public String label(int index) {
        Objects.checkIndex(index, values.length);
        return labels.isEmpty() ? "" : labels.get(index);
    }

    /** The largest bar or reference value; 0 when there is nothing to draw. */
    public double maxValue() {
        double top = hasReference() ? reference : 0;
        for (float v : values) {
            top = Math.max(top, v);
        }
        return top;
    }
}
