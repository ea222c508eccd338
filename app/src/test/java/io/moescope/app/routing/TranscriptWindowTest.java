package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transcript shows every token up to its cap, then the newest ones, moving its start in steps. */
class TranscriptWindowTest {

    @Test
    void showsEverythingUpToTheCap() {
        assertEquals(0, TranscriptViewModel.firstShown(0));
        assertEquals(0, TranscriptViewModel.firstShown(TranscriptViewModel.MAX_CHIPS));
    }

    @Test
    void beyondTheCapKeepsTheNewestAndMovesInSteps() {
        int cap = TranscriptViewModel.MAX_CHIPS;
        int step = TranscriptViewModel.STEP;
        for (int size = cap + 1; size < 10 * cap; size++) {
            int first = TranscriptViewModel.firstShown(size);
            assertEquals(0, first % step, "start on a step boundary at " + size);
            assertTrue(size - first <= cap, "at most the cap at " + size);
            assertTrue(size - first >= cap - step, "at least cap - step at " + size);
            assertTrue(first >= TranscriptViewModel.firstShown(size - 1), "never moves back at " + size);
        }
    }
}
