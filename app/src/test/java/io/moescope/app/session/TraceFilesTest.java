package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation's working trace file: on disk before the window hears of each token, released once its run is saved
 * or has left the window.
 */
class TraceFilesTest {

    @TempDir
    Path dir;

    private final List<Path> created = new CopyOnWriteArrayList<>();
    private final List<Path> released = new CopyOnWriteArrayList<>();
    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-" + System.nanoTime());
    private final List<String> problems = new ArrayList<>();
    private final Workspace workspace = new Workspace(Runnable::run);
    private final EngineService service = new EngineService(new TraceFiles() {
        @Override
        public Path create(Run run) throws IOException {
            Path file = Files.createFile(dir.resolve("run-" + created.size() + ".jsonl"));
            created.add(file);
            return file;
        }

        @Override
        public void release(Path file) {
            released.add(file);
        }
    });
    private final EngineViewModel engine = new EngineViewModel(
            workspace,
            service,
            Runnable::run,
            (title, message) -> problems.add(title + ": " + message),
            new RecentFiles(prefs));

    @AfterEach
    void tearDown() throws Exception {
        service.close();
        prefs.removeNode();
    }

    @Test
    void everyTokenTheWindowSeesIsAlreadyInTheFile() throws Exception {
        engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")).get(60, TimeUnit.SECONDS);
        List<String> behind = new CopyOnWriteArrayList<>();
        workspace
                .primaryProperty()
                .addListener((obs, old, run) -> run.store().addListener(() -> {
                    int shown = run.store().view().size();
                    long onDisk = tokenLines(run.traceFile());
                    if (onDisk < shown) {
                        behind.add("showing " + shown + " positions, " + onDisk + " in the file");
                    }
                }));
        Run run = engine.generate(
                        GenerationRequest.of(new int[] {1, 2, 3}, 6, SamplingParams.GREEDY), false, null, "1, 2, 3")
                .get(60, TimeUnit.SECONDS);
        assertTrue(behind.isEmpty(), behind.toString());
        assertEquals(9, run.positions());
        assertEquals(9, tokenLines(run.traceFile()));
        assertEquals("1, 2, 3", run.prompt());
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void aSavedRunPointsAtItsCopyAndARunThatLeftTheWindowLetsGo() throws Exception {
        engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")).get(60, TimeUnit.SECONDS);
        GenerationRequest request = GenerationRequest.of(new int[] {4, 5}, 3, SamplingParams.GREEDY);
        Run first = engine.generate(request, false, null).get(60, TimeUnit.SECONDS);
        Path working = first.traceFile();
        Path saved = Files.copy(working, dir.resolve("saved.jsonl"));
        engine.traceSaved(first, saved);
        idle();
        assertEquals(saved, first.traceFile(), "a later save copies the saved file");
        assertEquals(List.of(working), released);

        Run second = engine.generate(request, false, null).get(60, TimeUnit.SECONDS);
        idle();
        assertEquals(List.of(working, saved), released, "the first run left the window");
        assertEquals(second, workspace.getPrimary());
        assertEquals(2, created.size());
    }

    /** Waits until the inference thread has run everything queued before now. */
    private void idle() throws Exception {
        service.background(cancelled -> null).get(30, TimeUnit.SECONDS);
    }

    private static long tokenLines(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> line.strip().startsWith("{\"type\":\"token\""))
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
