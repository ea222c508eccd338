package io.moescope.app.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.session.EngineService;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.TokenEmitted;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the user made is lost: a real process generating with the embedded model is killed with SIGKILL mid-run,
 * and the next start finds its run, offers it, and restores it as the killed process last showed it.
 */
class RecoveryKillTest {

    private static final String PROMPT = "The experts in a mixture";

    @TempDir
    Path data;

    @Test
    void aRunKilledMidGenerationIsOfferedAndRestored() throws Exception {
        Path model = Path.of("..", "resources", "models", "tiny-deepseekmoe")
                .toAbsolutePath()
                .normalize();
        assertTrue(Files.isRegularFile(model.resolve("config.json")), "embedded model missing: " + model);
        Process child = startChild(model);
        AtomicInteger shown = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<Path> childSession = new AtomicReference<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> read(child, shown, finished, childSession, output), "child-output");
        reader.setDaemon(true);
        reader.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (shown.get() < 16 && !finished.get() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(shown.get() >= 16 && child.isAlive(), "the child never got going: " + output);
        assertEquals(
                0,
                new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()))
                        .start()
                        .waitFor());
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL");
        reader.join(5_000);
        int seenBeforeKill = shown.get(); // everything the child printed before it died
        assertFalse(finished.get(), "the run ended before the kill; the test needs a longer run");
        assertTrue(Files.isDirectory(childSession.get()), "a killed window leaves its recovery folder");

        try (RecoverySession next = RecoverySession.open(data)) {
            List<String> problems = new ArrayList<>();
            Preferences prefs = Preferences.userRoot().node("io/moescope/test-recovery-" + System.nanoTime());
            Workspace workspace = new Workspace(Runnable::run);
            EngineService service = new EngineService(next);
            EngineViewModel engine = new EngineViewModel(
                    workspace,
                    service,
                    Runnable::run,
                    (title, message) -> problems.add(title + ": " + message),
                    new RecentFiles(prefs));
            StringProperty prompt = new SimpleStringProperty("something else");
            RecoveryViewModel recovery = new RecoveryViewModel(
                    next, engine, prompt, (title, message) -> problems.add(title + ": " + message));

            List<RecoveredRun> offers = recovery.scan();
            assertEquals(1, offers.size(), "the restore offer appears: " + offers);
            RecoveredRun offer = offers.get(0);
            assertEquals("run 1", offer.label());
            int salvaged = offer.salvage().positions();
            assertTrue(
                    salvaged >= seenBeforeKill,
                    "what the window showed is on disk: showed " + seenBeforeKill + ", salvaged " + salvaged);
            assertTrue(offer.salvage().generated() > 0);

            Run restored = recovery.restore(offer).get(60, TimeUnit.SECONDS);
            assertSame(restored, workspace.getPrimary());
            assertTrue(restored.label().startsWith("recovered run 1 ("), restored.label());
            assertTrue(restored.isReplay());
            assertEquals(salvaged, restored.positions());
            assertEquals(offer.salvage().generated(), restored.decodeTokens());
            assertEquals(salvaged, restored.store().view().size());
            assertEquals(PROMPT, prompt.get(), "the prompt box gets the run's prompt back");
            assertTrue(problems.isEmpty(), problems.toString());

            // the restored trace replays on its own too, and lives in the new session, safe from the next crash
            Path file = restored.traceFile();
            assertEquals(next.directory(), file.getParent());
            long tokens = JsonlTraceReader.readAll(file).stream()
                    .filter(e -> e instanceof TokenEmitted)
                    .count();
            assertEquals(salvaged, tokens);
            assertFalse(Files.exists(childSession.get()), "the dead session's folder is gone once restored");
            assertTrue(recovery.scan().isEmpty(), "offered once");
            prefs.removeNode();
        }
        assertFalse(
                Files.exists(data.resolve("recovery").resolve(childSession.get().getFileName())));
        try (var left = Files.list(data.resolve("recovery"))) {
            assertEquals(0, left.count(), "a normal close leaves nothing to restore");
        }
    }

    private Process startChild(Path model) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(
                java,
                "-Xmx1g",
                "--add-modules",
                "jdk.incubator.vector",
                "-Dorg.bytedeco.javacpp.maxbytes=2G",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G",
                "-Djava.util.prefs.userRoot=" + data.resolve("prefs"),
                "-cp",
                classPath,
                RecoveryChild.class.getName(),
                data.toString(),
                model.toString(),
                PROMPT);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void read(
            Process child,
            AtomicInteger shown,
            AtomicBoolean finished,
            AtomicReference<Path> session,
            List<String> output) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("positions ")) {
                    shown.set(Integer.parseInt(line.substring(10).trim()));
                } else if (line.startsWith("session ")) {
                    session.set(Path.of(line.substring(8).trim()));
                } else {
                    if (line.startsWith("finished")) {
                        finished.set(true);
                    }
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (java.io.IOException e) {
            // the child was killed
        }
    }
}
