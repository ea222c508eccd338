package io.moescope.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunComparisonTest {

    @Test
    void jaccardOfExpertSets() {
        assertEquals(1f, RunComparison.jaccard(new int[] {1, 2}, new int[] {2, 1}));
        assertEquals(1f / 3, RunComparison.jaccard(new int[] {1, 2}, new int[] {2, 3}), 1e-6);
        assertEquals(0f, RunComparison.jaccard(new int[] {1}, new int[] {2}));
        assertEquals(1f, RunComparison.jaccard(new int[0], new int[0]));
    }
}
