package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Bad-input catalogue in the window (cases G1..G12 of docs/reliability.md): each bad file shows one dialog whose
 * headline names the file; after closing it the window still works (the test does one more action).
 */
@ExtendWith(ApplicationExtension.class)
class BadInputFxTest {

    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-" + System.nanoTime());
    private Explorer explorer;
    private ErrorDialogs dialogs;

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        dialogs = new ErrorDialogs(stage, false);
        explorer = new Explorer(Platform::runLater, dialogs, new RecentFiles(prefs));
        ExplorerWindow.show(stage, explorer, prefs, dialogs);
    }

    @AfterEach
    void tearDown() throws Exception {
        onFx(() -> {
            dialogs.showing().forEach(d -> d.close());
            return null;
        });
        explorer.close();
        try {
            prefs.removeNode();
        } catch (java.util.prefs.BackingStoreException lockedByAnotherJvm) {
            // the user prefs file is shared with parallel builds; a leftover test node is harmless
        }
    }

    @Test
    void g01BinaryConfig() throws Exception {
        Path model = modelCopy();
        Files.write(model.resolve("config.json"), noise());
        badModel(model, "config.json");
    }

    @Test
    void g02EmptyConfig() throws Exception {
        Path model = modelCopy();
        Files.write(model.resolve("config.json"), new byte[0]);
        badModel(model, "config.json");
    }

    @Test
    void g03WeightsAreADirectory() throws Exception {
        Path model = modelCopy();
        Files.delete(model.resolve("model.safetensors"));
        Files.createDirectory(model.resolve("model.safetensors"));
        badModel(model, "model.safetensors");
    }

    @Test
    void g04RandomWeights() throws Exception {
        Path model = modelCopy();
        Files.write(model.resolve("model.safetensors"), noise());
        badModel(model, "model.safetensors");
    }

    @Test
    void g05FileInsteadOfModelDirectory() throws Exception {
        badModel(Files.write(dir.resolve("x.gguf"), noise()), "x.gguf");
    }

    @Test
    void g06RandomBytesAsTrace() throws Exception {
        badTrace(Files.write(dir.resolve("random.bin"), noise()), "random.bin:1: not UTF-8 text");
    }

    @Test
    void g07EmptyTrace() throws Exception {
        badTrace(Files.write(dir.resolve("empty.jsonl"), new byte[0]), "empty.jsonl: empty trace");
    }

    @Test
    void g08DirectoryAsTrace() throws Exception {
        badTrace(Files.createDirectory(dir.resolve("trace.jsonl")), "trace.jsonl");
    }

    @Test
    void g09Latin1Trace() throws Exception {
        String text =
                Files.readString(TraceFixtures.trace("deepseek_f32")).replace("\"text\":\"\"", "\"text\":\"\u00e9\"");
        badTrace(Files.write(dir.resolve("latin1.jsonl"), text.getBytes(StandardCharsets.ISO_8859_1)), "latin1.jsonl:");
    }

    @Test
    void g10TraceRecordsContradictTheirShape() throws Exception {
        String text = Files.readString(TraceFixtures.trace("deepseek_f32"))
                .replace("\"routed_experts\":16", "\"routed_experts\":4");
        badTrace(Files.writeString(dir.resolve("shape.jsonl"), text), "shape.jsonl:");
    }

    @Test
    void g11PromptLongerThanTheContext() throws Exception {
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        String ids = IntStream.range(0, 5000).mapToObj(i -> "1").collect(Collectors.joining(" "));
        java.util.List<String> asked = new java.util.ArrayList<>();
        // the window asks (a confirmation dialog); declining drops the run without an error dialog
        CompletableFuture<Run> run = onFx(() -> {
            explorer.prompt.keepTailProperty().set(e -> asked.add(e.getMessage()) && false);
            explorer.prompt.promptProperty().set(ids);
            return explorer.prompt.generate();
        });
        run.handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).contains("5000 tokens") && asked.get(0).contains("context"), asked.get(0));
        assertTrue(dialogs.showing().isEmpty(), "declined: no error dialog");
        // accepting runs the last part that fits
        CompletableFuture<Run> tail = onFx(() -> {
            explorer.prompt.keepTailProperty().set(e -> true);
            explorer.prompt.maxTokensProperty().set(0);
            return explorer.prompt.generate();
        });
        int limit = explorer.engine.getModel().config().maxPositions();
        assertEquals(limit, tail.get(60, TimeUnit.SECONDS).request().promptIds().length);
        generateStillWorks();
    }

    @Test
    void g12ModelDeletedWhileOpen() throws Exception {
        Path model = modelCopy();
        onFx(() -> explorer.engine.openModel(model)).get(60, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(model);
        // the weights were read (or mapped) at open: the open model keeps working, and so does the window
        generateStillWorks();
        generateStillWorks();
        assertTrue(dialogs.showing().isEmpty());
    }

    private final java.util.List<String> headlines = new java.util.ArrayList<>();

    private void badModel(Path model, String fileName) throws Exception {
        onFx(() -> explorer.engine.openModel(model)).handle((m, e) -> e).get(60, TimeUnit.SECONDS);
        closeOnlyDialog("Cannot open the model");
        assertTrue(headlines.get(0).startsWith(fileName), headlines.get(0));
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        assertNotNull(explorer.engine.getModel(), "a good model opens after the bad one");
    }

    private void badTrace(Path trace, String headlineStart) throws Exception {
        onFx(() -> explorer.engine.openTrace(trace)).handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        closeOnlyDialog("Cannot open the trace");
        assertTrue(headlines.get(0).startsWith(headlineStart), headlines.get(0));
        Run good = onFx(() -> explorer.engine.openTrace(TraceFixtures.trace("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        assertTrue(good.positions() > 0, "a good trace replays after the bad one");
    }

    /** Exactly one dialog, with this header and a one-line headline; closes it and remembers the headline. */
    private DialogPane closeOnlyDialog(String header) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !dialogs.showing().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        return onFx(() -> {
            assertEquals(1, dialogs.showing().size());
            DialogPane pane = dialogs.showing().get(0).getDialogPane();
            assertEquals(header, pane.getHeaderText());
            String headline = ((Label) pane.lookup("#error-headline")).getText();
            assertFalse(headline.contains("\n") || headline.contains("Exception"), headline);
            headlines.add(headline);
            pane.lookupButton(ButtonType.OK).fireEvent(new javafx.event.ActionEvent());
            assertTrue(dialogs.showing().isEmpty());
            return pane;
        });
    }

    private void generateStillWorks() throws Exception {
        CompletableFuture<Run> run = onFx(() -> {
            explorer.prompt.promptProperty().set("1, 17, 42");
            explorer.prompt.maxTokensProperty().set(3);
            return explorer.prompt.generate();
        });
        assertTrue(run.get(60, TimeUnit.SECONDS).positions() >= 3, "the window still generates");
    }

    private Path modelCopy() throws Exception {
        Path dst = Files.createDirectories(dir.resolve("model"));
        try (Stream<Path> files = Files.list(TraceFixtures.fixtureModel("deepseek_f32"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    private static byte[] noise() {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        b[0] = (byte) 0xC3;
        b[1] = 0;
        return b;
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Platform.runLater(task);
        return task.get(30, TimeUnit.SECONDS);
    }
}
