package io.moescope.app.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.TokenEmitted;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog's progress line: every phase with its time, the current one marked, and the tokens generated so far. */
class RunProgressTest {

    private final AtomicLong now = new AtomicLong();
    private final RunProgress progress = new RunProgress(now::get);

    private void advance(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void phasesWithTheirTimesAndTheCurrentOneMarked() {
        advance(2.1);
        progress.phase("open model");
        advance(0.8);
        progress.phase("generate");
        advance(176);
        assertEquals("progress: start-up 2.1 s, open model 0.8 s, generate 176.0 s (current)", progress.line());
    }

    @Test
    void tokensGeneratedSoFar() {
        Run run = new Run("prompt A", new TraceStore(), null);
        progress.phase("generate");
        progress.generating(run, 24);
        for (int p = 0; p < 5; p++) { // 3 prompt positions, then 2 generated tokens
            run.sink().accept(new TokenEmitted(1, p, p, "t", p < 3 ? Phase.PREFILL : Phase.DECODE));
        }
        assertEquals(
                "progress: start-up 0.0 s, generate 0.0 s (current); generation 'prompt A': 2 of 24 tokens generated, "
                        + "5 positions, 0.0 s since it started",
                progress.line());
    }
}
