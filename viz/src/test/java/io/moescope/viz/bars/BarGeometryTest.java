package io.moescope.viz.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BarGeometryTest {

    @Test
    void slotsSplitTheWidthAndValuesMapFromTheBottom() {
        BarGeometry geo = new BarGeometry(40, 10, 400, 108, 4, 100); // top value 108
        assertEquals(100, geo.slotWidth());
        assertEquals(20, geo.barLeft(0) - 40 + geo.barLeft(0) - 40, 1e-9); // 10 px on each side
        assertEquals(80, geo.barWidth(), 1e-9);
        assertEquals(118, geo.y(0), 1e-9);
        assertEquals(18, geo.y(100), 1e-9);
        assertEquals(2, geo.barAt(40 + 250, 50));
        assertEquals(-1, geo.barAt(39, 50));
        assertEquals(-1, geo.barAt(100, 200));
    }

    @Test
    void formatsTicksCompactly() {
        assertEquals("12.5", BarPainter.format(12.5));
        assertEquals("0", BarPainter.format(0));
        assertEquals("350", BarPainter.format(350.4));
        assertEquals("0.25", BarPainter.format(0.25));
    }
}
