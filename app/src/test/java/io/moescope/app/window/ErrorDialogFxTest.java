package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.RecentFiles;
import io.moescope.viz.VizTheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Real error dialogs, headless: a broken model directory and a broken trace each show the engine's message. */
@ExtendWith(ApplicationExtension.class)
class ErrorDialogFxTest {

    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-" + System.nanoTime());
    private Explorer explorer;
    private ErrorDialogs dialogs;
    private MainView main;

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        dialogs = new ErrorDialogs(stage, false);
        explorer = new Explorer(Platform::runLater, dialogs, new RecentFiles(prefs));
        main = new MainView(explorer, () -> stage, dialogs, new WindowPrefs(prefs));
        Scene scene = new Scene(main.root(), 1280, 800);
        scene.getStylesheets().addAll(VizTheme.stylesheet(), MainView.stylesheet());
        main.actions().attach(scene.getRoot());
        main.actions().setTheme(VizTheme.DARK);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        onFx(() -> {
            dialogs.showing().forEach(d -> d.close());
            return null;
        });
        explorer.close();
        prefs.removeNode();
    }

    @Test
    void brokenModelDirectoryShowsTheEngineMessageAndTheAppStaysUsable() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken-model"));
        String config = Files.readString(
                        TraceFixtures.fixtureModel("deepseek_f32").resolve("config.json"))
                .replace("\"num_experts_per_tok\": 4", "\"num_experts_per_tok\": 32");
        Files.writeString(broken.resolve("config.json"), config);

        onFx(() -> explorer.engine.openModel(broken)).handle((m, e) -> e).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        ErrorDialog dialog = onlyDialog();
        DialogPane pane = dialog.getDialogPane();
        assertTrue(dialog.isShowing());
        assertTrue(pane.getStyleClass().contains("exception-dialog"), "a ControlsFX exception dialog");
        assertEquals("Cannot open the model", pane.getHeaderText());
        Label headline = (Label) pane.lookup("#error-headline");
        assertEquals("config.json: num_experts_per_tok 32 exceeds the 16 routed experts", headline.getText());
        Label file = (Label) pane.lookup("#error-file");
        assertEquals(broken.resolve("config.json").toAbsolutePath().toString(), file.getText());
        // details exist but are collapsed; the stack trace is never the main content
        assertFalse(pane.isExpanded());
        assertNotNull(pane.getExpandableContent());
        TextArea details = (TextArea) pane.getExpandableContent().lookup("#error-details");
        assertTrue(details.getText().contains("io.moescope.model.io.ModelLoadException"));
        assertFalse(headline.getText().contains("Exception"));
        // the window's theme reaches the dialog
        assertTrue(pane.getScene().getRoot().getStyleClass().contains(VizTheme.DARK.styleClass()));

        // the same failure again does not stack a second dialog
        onFx(() -> explorer.engine.openModel(broken)).handle((m, e) -> e).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, dialogs.showing().size());

        // closing it leaves a usable window: a good model opens afterwards
        onFx(() -> {
            pane.lookupButton(ButtonType.OK).fireEvent(new javafx.event.ActionEvent());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(dialog.isShowing());
        assertTrue(dialogs.showing().isEmpty());
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        assertNotNull(explorer.engine.getModel());
    }

    @Test
    void brokenTraceNamesTheFileAndLineOnALightWindow() throws Exception {
        onFx(() -> {
            main.actions().setTheme(VizTheme.LIGHT);
            return null;
        });
        Path trace = Files.writeString(dir.resolve("bad.jsonl"), "{\"type\":\"header\",\"version\":1}\n{not json\n");
        onFx(() -> explorer.engine.openTrace(trace)).handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        DialogPane pane = onlyDialog().getDialogPane();
        assertEquals("Cannot open the trace", pane.getHeaderText());
        String headline = ((Label) pane.lookup("#error-headline")).getText();
        assertTrue(headline.startsWith("bad.jsonl:"), headline);
        assertEquals(trace.toAbsolutePath().toString(), ((Label) pane.lookup("#error-file")).getText());
        assertTrue(pane.getScene().getRoot().getStyleClass().contains(VizTheme.LIGHT.styleClass()));
    }

    @Test
    void aProblemWithoutExceptionHasNoDetails() throws Exception {
        onFx(() -> explorer.prompt.generate()).handle((r, e) -> e).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = onlyDialog().getDialogPane();
        assertEquals("Nothing to run", pane.getHeaderText());
        assertNull(pane.getExpandableContent());
        assertNull(pane.lookup("#error-file"));
    }

    private ErrorDialog onlyDialog() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !dialogs.showing().isEmpty());
        return onFx(() -> {
            assertEquals(1, dialogs.showing().size());
            return dialogs.showing().get(0);
        });
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Platform.runLater(task);
        return task.get(30, TimeUnit.SECONDS);
    }
}
