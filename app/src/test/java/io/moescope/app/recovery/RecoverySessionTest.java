package io.moescope.app.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery folder's life: one file per run, gone when released or closed; dead sessions found, live ones not. */
class RecoverySessionTest {

    @TempDir
    Path data;

    @Test
    void runFilesGoWhenReleasedAndTheFolderWhenClosed() throws Exception {
        RecoverySession session = RecoverySession.open(data);
        Path dir = session.directory();
        Path a = session.create(new Run("run 1", new TraceStore(), null, "hello"));
        Path b = session.create(new Run("run 2", new TraceStore(), null));
        assertTrue(Files.isRegularFile(a) && Files.isRegularFile(b) && !a.equals(b));
        assertEquals(dir, a.getParent());
        session.release(a);
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(dir.resolve("run-1.json")), "its metadata goes with it");
        Path elsewhere = Files.writeString(data.resolve("user.jsonl"), "mine");
        session.release(elsewhere);
        assertTrue(Files.exists(elsewhere), "a file the session did not make is never deleted");
        session.close();
        assertFalse(Files.exists(dir));
    }

    @Test
    void aLiveSessionIsNotOfferedToAnother() throws Exception {
        try (RecoverySession first = RecoverySession.open(data);
                RecoverySession second = RecoverySession.open(data)) {
            Files.copy(
                    TraceFixtures.trace("deepseek_f32"),
                    first.create(new Run("run 1", new TraceStore(), null)),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue(second.orphans().isEmpty(), "the first window is still open");
            assertTrue(Files.isDirectory(first.directory()));
        }
    }

    @Test
    void aDeadSessionIsOfferedAndDiscarded() throws Exception {
        Path dead = Files.createDirectories(data.resolve("recovery").resolve("session-20260101-000000-1"));
        Files.createFile(dead.resolve("lock")); // nobody holds it: its process died
        Files.copy(TraceFixtures.trace("deepseek_f32"), dead.resolve("run-1.jsonl"));
        Files.writeString(
                dead.resolve("run-1.json"),
                "{\"label\":\"run 4\",\"prompt\":\"Hi there\"," + "\"started\":\"2026-01-01T00:00:00Z\"}");
        Files.writeString(dead.resolve("run-2.jsonl"), "{\"type\":\"header\""); // torn before any position
        try (RecoverySession session = RecoverySession.open(data)) {
            List<RecoveredRun> offers = session.orphans();
            assertEquals(1, offers.size());
            RecoveredRun offer = offers.get(0);
            assertEquals("run 4", offer.label());
            assertEquals("Hi there", offer.prompt());
            assertTrue(offer.describe().startsWith("run 4, started "), offer.describe());
            assertFalse(Files.exists(dead.resolve("run-2.jsonl")), "nothing to restore in it: deleted on the way");
            session.discard(offer);
            assertFalse(Files.exists(dead));
            assertTrue(session.orphans().isEmpty());
        }
    }

    @Test
    void aDeadSessionWithNothingToRestoreIsClearedQuietly() throws Exception {
        Path dead = Files.createDirectories(data.resolve("recovery").resolve("session-20260101-000000-2"));
        Files.writeString(dead.resolve("run-1.jsonl"), "");
        try (RecoverySession session = RecoverySession.open(data)) {
            assertTrue(session.orphans().isEmpty());
            assertFalse(Files.exists(dead));
        }
    }
}
