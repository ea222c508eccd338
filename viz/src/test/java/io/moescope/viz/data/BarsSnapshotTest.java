package io.moescope.viz.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BarsSnapshotTest {

    @Test
    void meanReferenceAndHighlight() {
        BarsSnapshot bars = BarsSnapshot.of(new float[] {1, 2, 6}, List.of("a", "b", "c"))
                .withHighlighted(2)
                .withMeanReference();

        assertEquals(3.0, bars.reference(), 1e-9);
        assertTrue(bars.isHighlighted(2));
        assertFalse(bars.isHighlighted(0));
        assertEquals(6.0, bars.maxValue());
        assertEquals("c", bars.label(2));
    }

    @Test
    void copiesValues() {
        float[] values = {1, 2};
        BarsSnapshot bars = BarsSnapshot.of(values, List.of());
        values[0] = 50;
        bars.values()[1] = 50;
        assertEquals(1f, bars.value(0));
        assertEquals(2f, bars.value(1));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> BarsSnapshot.of(new float[] {-1}, List.of()));
        assertThrows(IllegalArgumentException.class, () -> BarsSnapshot.of(new float[] {1}, List.of("a", "b")));
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> BarsSnapshot.of(new float[] {1}, List.of()).withHighlighted(3));
        assertFalse(BarsSnapshot.EMPTY.withMeanReference().hasReference());
    }
}
