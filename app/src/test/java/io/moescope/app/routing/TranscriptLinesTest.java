package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.routing.TranscriptLines.Line;
import io.moescope.app.routing.TranscriptViewModel.Chip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lines kept up to date chip by chip hold every chip once, in order, and never overflow the width. */
class TranscriptLinesTest {

    private static final double WIDTH = 100;
    private final Random random = new Random(5);

    @Test
    void appendingChipsRewrapsOnlyTheLastLineAndEqualsAFreshWrap() {
        List<Chip> chips = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        TranscriptLines incremental = new TranscriptLines(TranscriptLinesTest::width, 2);
        for (int p = 0; p < 400; p++) {
            chips.add(chip(p));
            if (random.nextInt(3) == 0) {
                int untouched = Math.max(0, lines.size() - 1);
                List<Line> before = List.copyOf(lines.subList(0, untouched));
                incremental.update(lines, List.copyOf(chips), WIDTH);
                assertEquals(before, lines.subList(0, untouched), "only the last line changes");
                assertEquals(fresh(chips, WIDTH), lines);
            }
        }
    }

    @Test
    void droppedChipsLeaveTheFirstLinesAndTheRestStaysWhereItWas() {
        List<Chip> chips = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        TranscriptLines incremental = new TranscriptLines(TranscriptLinesTest::width, 2);
        for (int p = 0; p < 600; p++) {
            chips.add(chip(p));
            if (chips.size() > 150) {
                chips.subList(0, 1 + random.nextInt(3)).clear();
            }
            incremental.update(lines, List.copyOf(chips), WIDTH);
            assertHoldsInOrder(chips, lines);
        }
        incremental.update(lines, List.copyOf(chips), 60); // a new width wraps everything again
        assertEquals(fresh(chips, 60), lines);
    }

    @Test
    void aNewRunStartsOver() {
        List<Line> lines = new ArrayList<>();
        TranscriptLines incremental = new TranscriptLines(TranscriptLinesTest::width, 2);
        incremental.update(lines, List.of(chip(0), chip(1), chip(2)), WIDTH);
        List<Chip> recoloured = List.of(new Chip(0, "x", true, 1, 0xff00ff00), chip(1));
        incremental.update(lines, recoloured, WIDTH);
        assertEquals(fresh(recoloured, WIDTH), lines);
        incremental.update(lines, List.of(), WIDTH);
        assertTrue(lines.isEmpty());
    }

    private static void assertHoldsInOrder(List<Chip> chips, List<Line> lines) {
        List<Chip> flat = new ArrayList<>();
        for (Line line : lines) {
            double x = 0;
            for (Chip c : line.chips()) {
                x += width(c) + 2;
            }
            assertTrue(line.chips().size() == 1 || x - 2 <= WIDTH, "line fits");
            flat.addAll(line.chips());
        }
        assertEquals(chips, flat);
    }

    private static List<Line> fresh(List<Chip> chips, double width) {
        List<Line> lines = new ArrayList<>();
        new TranscriptLines(TranscriptLinesTest::width, 2).update(lines, List.copyOf(chips), width);
        return lines;
    }

    private Chip chip(int position) {
        return new Chip(position, "t".repeat(1 + random.nextInt(6)), position < 5, position % 7, 0xff000000 + position);
    }

    private static double width(Chip chip) {
        return 8 + 7 * chip.text().length();
    }
}
