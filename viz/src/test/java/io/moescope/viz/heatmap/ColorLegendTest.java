package io.moescope.viz.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorLegendTest {

    @Test
    void tickLabelsAreShort() {
        assertEquals("0", ColorLegend.format(0));
        assertEquals("0.5", ColorLegend.format(0.5));
        assertEquals("1", ColorLegend.format(1.0));
        assertEquals("0.123", ColorLegend.format(0.12345));
        assertEquals("1.00e-04", ColorLegend.format(1e-4));
    }
}
