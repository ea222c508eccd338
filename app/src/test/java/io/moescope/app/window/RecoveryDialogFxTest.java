package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.recovery.RecoverySession;
import io.moescope.app.recovery.RecoveryViewModel;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The restore offer as the window shows it at start, headless: Restore replays the run, Discard drops it. */
@ExtendWith(ApplicationExtension.class)
class RecoveryDialogFxTest {

    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-" + System.nanoTime());
    private Explorer explorer;
    private ErrorDialogs dialogs;

    @TempDir
    Path data;

    @Start
    void start(Stage stage) {
        dialogs = new ErrorDialogs(stage, false);
        explorer = new Explorer(Platform::runLater, dialogs, new RecentFiles(prefs));
        stage.setScene(
                new Scene(new MainView(explorer, () -> stage, dialogs, new WindowPrefs(prefs)).root(), 1024, 700));
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        explorer.close();
        prefs.removeNode();
    }

    @Test
    void restoreReplaysTheRunWithItsPrompt(FxRobot robot) throws Exception {
        Path dead = deadSession();
        try (RecoverySession session = RecoverySession.open(data)) {
            DialogPane pane = offer(robot, session);
            assertTrue(((Label) pane.getContent().lookup(".label")).getText().contains("run 4, started "));
            onFx(() -> {
                ((Button) pane.lookupButton(RecoveryDialog.RESTORE)).fire();
                return null;
            });
            Run run = waitForPrimary();
            assertTrue(run.label().startsWith("recovered run 4 ("), run.label());
            assertTrue(run.positions() > 0);
            assertEquals("Hi there", explorer.prompt.promptProperty().get());
            assertFalse(Files.exists(dead));
            assertEquals(session.directory(), run.traceFile().getParent());
        }
    }

    @Test
    void discardDropsTheRun(FxRobot robot) throws Exception {
        Path dead = deadSession();
        try (RecoverySession session = RecoverySession.open(data)) {
            DialogPane pane = offer(robot, session);
            onFx(() -> {
                ((Button) pane.lookupButton(RecoveryDialog.DISCARD)).fire();
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            assertFalse(Files.exists(dead));
            assertNull(explorer.workspace.getPrimary());
            assertTrue(session.orphans().isEmpty());
        }
    }

    private DialogPane offer(FxRobot robot, RecoverySession session) throws Exception {
        RecoveryViewModel recovery =
                new RecoveryViewModel(session, explorer.engine, explorer.prompt.promptProperty(), dialogs);
        assertEquals(1, recovery.scan().size());
        onFx(() -> {
            RecoveryDialog.offer(recovery, dialogs);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#recovery-dialog").queryAs(DialogPane.class);
        assertTrue(pane.getButtonTypes().contains(RecoveryDialog.RESTORE));
        assertTrue(pane.getButtonTypes().contains(RecoveryDialog.DISCARD));
        assertFalse(pane.getButtonTypes().contains(ButtonType.OK));
        return pane;
    }

    /** A session folder as a killed window leaves it: an unlocked lock, a run's trace and its metadata. */
    private Path deadSession() throws Exception {
        Path dead = Files.createDirectories(data.resolve("recovery").resolve("session-20260101-000000-7"));
        Files.createFile(dead.resolve("lock"));
        Files.copy(TraceFixtures.trace("deepseek_f32"), dead.resolve("run-1.jsonl"));
        Files.writeString(
                dead.resolve("run-1.json"),
                "{\"label\":\"run 4\",\"prompt\":\"Hi there\"," + "\"started\":\"2026-01-01T00:00:00Z\"}");
        return dead;
    }

    private Run waitForPrimary() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Run run = onFx(() -> explorer.workspace.getPrimary());
            if (run != null) {
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the restored run never became the primary run");
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        return task.get(30, TimeUnit.SECONDS);
    }
}
