package io.moescope.app.teach;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.testkit.ErrorMessages;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * Fuzzes lesson files ({@link LessonReader#read}): any bytes either read as a lesson whose every step is usable, or
 * are refused with a one-line {@link LessonReader.LessonException} that names the file. Seed: the shipped lesson.
 * Fuzzing command: docs/reliability.md (this class in module app).
 */
class LessonFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "\"lesson\"",
        "\"title\"",
        "\"model\"",
        "\"steps\"",
        "\"note\"",
        "\"prompt\"",
        "\"maxTokens\"",
        "\"view\"",
        "\"layer\"",
        "\"token\"",
        "\"walk\"",
        "\"intervention\"",
        "\"ablate\"",
        "\"force\"",
        "\"topK\"",
        "\"sharedOff\"",
        "\"gate\"",
        "\"load\"",
        "\"shared\"",
        "2147483647",
        "-1"
    })
    void readRefusesCleanly(byte[] input) {
        Path file = dir.resolve("lesson.json");
        ScratchDir.write(file, input);
        Lesson lesson;
        try {
            lesson = LessonReader.read(file);
        } catch (LessonReader.LessonException e) {
            ErrorMessages.assertNamesFile(e.getMessage(), "lesson.json: ");
            return;
        }
        assertFalse(lesson.steps().isEmpty());
        for (int i = 0; i < lesson.steps().size(); i++) {
            Lesson.State st = lesson.state(i);
            // a step that runs the model has a prompt, its own or an earlier step's (the balancing view runs none)
            assertTrue(!st.needsRun() || st.prompt() != null, "step " + (i + 1) + " runs without a prompt");
        }
        for (Lesson.Step s : lesson.steps()) {
            // -1: the step keeps what the previous one set
            assertTrue(s.maxTokens() >= -1 && s.layer() >= -1 && s.token() >= -1, () -> "negative count in " + s);
            assertTrue(s.view() == null || LessonReader.VIEWS.contains(s.view()), () -> "unknown view in " + s);
        }
    }
}
