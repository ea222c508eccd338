package io.moescope.app.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.api.Intervention;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lesson format: the shipped lesson reads, and every bad file is one line naming it. */
class LessonReaderTest {

    static Path shipped() {
        return Path.of("..", "resources", "lessons", "one-token-through-an-moe-layer.json")
                .toAbsolutePath()
                .normalize();
    }

    @Test
    void theShippedLessonReadsAndCarriesStateForward() throws Exception {
        Lesson l = LessonReader.read(shipped());
        assertEquals("One token through an MoE layer", l.title());
        assertEquals("embedded", l.model());
        assertEquals(13, l.steps().size());
        Lesson.State first = l.state(0);
        assertEquals(1, first.layer());
        assertEquals(4, first.token());
        assertEquals(WalkStep.Kind.HIDDEN_IN, first.walk());
        Lesson.State topK = l.state(4);
        assertEquals(first.prompt(), topK.prompt(), "the prompt carries over");
        assertEquals(WalkStep.Kind.TOP_K, topK.walk());
        assertEquals(Intervention.NONE.withTopK(1), l.state(10).intervention());
        assertEquals(Intervention.NONE.withAlwaysOnOff(true), l.state(11).intervention());
        assertEquals(Intervention.NONE, l.state(12).intervention());
        assertEquals("gate", l.state(12).view());
        assertEquals(Intervention.NONE, l.state(4).intervention());
    }

    @Test
    void theBalanceLessonNeedsNoPromptAndItsActionsAreNotCarriedOver() throws Exception {
        Lesson l = LessonReader.read(shipped().resolveSibling("why-balance-matters.json"));
        assertEquals("Why balance matters", l.title());
        assertEquals(9, l.steps().size());
        String[] actions = {"replay", null, "start", null, null, null, "pause", "resume", "stop"};
        for (int i = 0; i < actions.length; i++) {
            assertEquals("balance", l.state(i).view(), "step " + (i + 1));
            assertEquals(actions[i], l.state(i).balance(), "step " + (i + 1));
            assertFalse(l.state(i).needsRun());
            assertNull(l.state(i).prompt());
        }
    }

    @Test
    void interventionsReadAblationsAndForcedSets() throws Exception {
        Lesson l = LessonReader.parse(
                "x.json",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\","
                        + "\"intervention\":{\"ablate\":{\"1\":[3,5]},\"force\":{\"2\":[0,1]}}}]}");
        Intervention iv = l.steps().get(0).intervention();
        assertEquals(java.util.Set.of(3, 5), iv.ablatedIn(1));
        assertEquals(2, iv.forcedIn(2).length);
        assertNull(l.steps().get(0).walk());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"title\": |not valid JSON",
                "[]|a lesson is a JSON object",
                "{\"title\":\"t\"}|\"steps\" must be a non-empty list",
                "{\"title\":\"t\",\"steps\":[{\"prompt\":\"p\"}]}|step 1: missing \"note\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\"}]}|step 1: needs a \"prompt\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"view\":\"movie\"}]}|unknown view \"movie\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"layer\":-2}]}|\"layer\" must be a whole",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"walk\":\"dance\"}]}|unknown walkthrough step",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"colour\":1}]}|unknown field \"colour\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"intervention\":{\"ablate\":[1]}}]}"
                        + "|\"ablate\" must map layers",
                "{\"lesson\":2,\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\"}]}|is newer than",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"view\":\"balance\",\"balance\":\"dance\"}]}"
                        + "|unknown balancing action \"dance\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"prompt\":\"p\",\"balance\":\"start\"}]}"
                        + "|step 1: \"balance\" needs \"view\": \"balance\"",
                "{\"title\":\"t\",\"steps\":[{\"note\":\"n\",\"view\":\"balance\"},{\"note\":\"n\",\"view\":\"gate\"}]}"
                        + "|step 2: needs a \"prompt\""
            })
    void badLessonsAreOneLineNamingTheFile(String json, String says, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad-lesson.json");
        Files.writeString(file, json);
        String message = assertThrows(LessonReader.LessonException.class, () -> LessonReader.read(file))
                .getMessage();
        assertTrue(message.startsWith("bad-lesson.json: "), message);
        assertTrue(message.contains(says), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void missingAndHugeFilesAreRefusedUnread(@TempDir Path tmp) throws Exception {
        assertTrue(assertThrows(LessonReader.LessonException.class, () -> LessonReader.read(tmp.resolve("no.json")))
                .getMessage()
                .equals("no.json: no such file"));
        Path big = tmp.resolve("big.json");
        try (var ch = java.nio.channels.FileChannel.open(
                big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), LessonReader.MAX_BYTES + 10);
        }
        assertTrue(assertThrows(LessonReader.LessonException.class, () -> LessonReader.read(big))
                .getMessage()
                .contains("too large for a lesson"));
    }
}
