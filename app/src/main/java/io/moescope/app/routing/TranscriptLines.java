package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptViewModel.Chip;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The transcript's chips wrapped into lines of a given width, kept in step with the growing chip list: new chips
 * re-wrap only the last line, dropped chips leave the first line(s), and everything is wrapped again only when
 * the width changes or the chips start over. Works on any {@code List<Line>} (the view passes its ListView's
 * items, so each step is one or two list changes). No FX types; one thread.
 */
final class TranscriptLines {

    /** One line of chips (a view of the chip list it was wrapped from). */
    record Line(List<Chip> chips) {}

    private final ToDoubleFunction<Chip> width;
    private final double gap;
    private double wrapWidth = -1;
    private int held; // chips covered by the lines
    private Chip lastHeld; // the last of them

    /**
     * @param width a chip's width in pixels
     * @param gap   pixels between two chips of a line
     */
    TranscriptLines(ToDoubleFunction<Chip> width, double gap) {
        this.width = width;
        this.gap = gap;
    }

    /** Updates {@code lines} to show {@code chips} wrapped at {@code available} pixels. */
    void update(List<Line> lines, List<Chip> chips, double available) {
        if (Math.abs(available - wrapWidth) >= 0.5 || !dropLeading(lines, chips)) {
            wrapWidth = available;
            List<Line> all = wrap(chips, 0);
            lines.clear();
            lines.addAll(all);
            held = chips.size();
            lastHeld = chips.isEmpty() ? null : chips.get(chips.size() - 1);
            return;
        }
        if (held == chips.size()) {
            return;
        }
        int start =
                lines.isEmpty() ? 0 : held - lines.get(lines.size() - 1).chips().size();
        List<Line> tail = wrap(chips, start);
        if (!lines.isEmpty()) {
            lines.set(lines.size() - 1, tail.get(0));
            tail = tail.subList(1, tail.size());
        }
        lines.addAll(tail);
        held = chips.size();
        lastHeld = chips.get(chips.size() - 1);
    }

    /**
     * Drops the chips before the list's first one from the lines; false when the list does not continue the
     * chips held (then everything is wrapped again).
     */
    private boolean dropLeading(List<Line> lines, List<Chip> chips) {
        if (held == 0 || lines.isEmpty()) {
            return chips.isEmpty() || held == 0;
        }
        if (chips.isEmpty()) {
            return false;
        }
        int first = chips.get(0).position();
        int dropped = 0;
        int whole = 0;
        while (whole < lines.size() && last(lines.get(whole)).position() < first) {
            dropped += lines.get(whole).chips().size();
            whole++;
        }
        if (whole == lines.size()) {
            return false;
        }
        lines.subList(0, whole).clear();
        List<Chip> head = lines.get(0).chips();
        int cut = 0;
        while (head.get(cut).position() < first) {
            cut++;
        }
        if (cut > 0) {
            lines.set(0, new Line(head.subList(cut, head.size())));
            dropped += cut;
        }
        held -= dropped;
        return held <= chips.size() && held > 0 && chips.get(held - 1).equals(lastHeld);
    }

    private static Chip last(Line line) {
        return line.chips().get(line.chips().size() - 1);
    }

    /** Greedy wrap of chips[from..] into lines (at least one chip per line; an empty list gives no lines). */
    private List<Line> wrap(List<Chip> chips, int from) {
        List<Line> out = new ArrayList<>();
        int start = from;
        double x = 0;
        for (int i = from; i < chips.size(); i++) {
            double w = width.applyAsDouble(chips.get(i));
            if (i > start && x + w > wrapWidth) {
                out.add(new Line(chips.subList(start, i)));
                start = i;
                x = 0;
            }
            x += w + gap;
        }
        if (start < chips.size()) {
            out.add(new Line(chips.subList(start, chips.size())));
        }
        return out;
    }
}
