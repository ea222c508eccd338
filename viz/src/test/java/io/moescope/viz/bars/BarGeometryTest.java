package io.moescope.viz.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BarGeometryTest {

    @Test
    void slotsSplitTheWidthAndValuesMapFromTheBottom() {
        BarGeometry geo = new BarGeometry(40, 10, 400, 100, 4, 95); // top value 100
        assertEquals(100, geo.slotWidth());
        assertEquals(20, geo.barLeft(0) - 40 + geo.barLeft(0) - 40, 1e-9); // 10 px on each side
        assertEquals(80, geo.barWidth(), 1e-9);
        assertEquals(110, geo.y(0), 1e-9);
        assertEquals(10, geo.y(100), 1e-9);
        assertEquals(2, geo.barAt(40 + 250, 50));
        assertEquals(-1, geo.barAt(39, 50));
        assertEquals(-1, geo.barAt(100, 200));
    }

    @Test
    void axisTopIsARoundNumber() {
        assertEquals(20, BarGeometry.niceCeiling(16.2), 1e-9);
        assertEquals(2.5, BarGeometry.niceCeiling(2.1), 1e-9);
        assertEquals(100, BarGeometry.niceCeiling(100), 1e-9);
        assertEquals(1, BarGeometry.niceCeiling(0), 1e-9);
    }

    @Test
    void formatsTicksCompactly() {
        assertEquals("12.5", BarPainter.format(12.5));
        assertEquals("0", BarPainter.format(0));
        assertEquals("350", BarPainter.format(350.4));
        assertEquals("0.25", BarPainter.format(0.25));
    }
}
