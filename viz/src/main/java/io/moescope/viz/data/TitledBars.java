package io.moescope.viz.data;

import java.util.Objects;

/**
 * One block of a stacked bar-chart figure: bars with a title above them (for example one series of a report).
 *
 * @param title text drawn above the bars; may be empty
 * @param bars  the bars
 */
public record TitledBars(String title, BarsSnapshot bars) {

    public TitledBars {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(bars, "bars");
    }
}
