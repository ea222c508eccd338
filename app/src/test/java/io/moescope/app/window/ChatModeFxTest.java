package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The prompt panel's Text / Chat toggle: Chat is disabled for a model without a chat template (the embedded base
 * model), enabled for one with a template, on by default only for a model named as instruction-tuned; a chat run
 * marks its template tokens in the trace the views read, and the transcript dims them.
 */
@ExtendWith(ApplicationExtension.class)
class ChatModeFxTest {

    static final Path EMBEDDED = Path.of("..", "resources", "models", "tiny-deepseekmoe")
            .toAbsolutePath()
            .normalize();
    static final Path CHAT = Path.of("..", "model", "src", "test", "resources", "chat", "jinja")
            .toAbsolutePath()
            .normalize();

    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-" + System.nanoTime());
    private Explorer explorer;

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        ErrorDialogs dialogs = new ErrorDialogs(stage, false);
        explorer = new Explorer(Platform::runLater, dialogs, new RecentFiles(prefs));
        ExplorerWindow.show(stage, explorer, prefs, dialogs);
    }

    @AfterEach
    void tearDown() {
        explorer.close();
        try {
            prefs.removeNode();
        } catch (java.util.prefs.BackingStoreException lockedByAnotherJvm) {
            // shared prefs file; a leftover node is harmless
        }
    }

    private Path chatModel(String name) throws Exception {
        Path m = Files.createDirectories(dir.resolve(name));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.createSymbolicLink(m.resolve(f), EMBEDDED.resolve(f));
        }
        for (String f : List.of("chat_template.jinja", "tokenizer_config.json")) {
            Files.copy(CHAT.resolve(f), m.resolve(f));
        }
        return m;
    }

    @Test
    void chatIsOfferedOnlyWithATemplate(FxRobot robot) throws Exception {
        ToggleButton text = robot.lookup("#prompt-mode-text").queryAs(ToggleButton.class);
        ToggleButton chat = robot.lookup("#prompt-mode-chat").queryAs(ToggleButton.class);
        onFx(() -> explorer.engine.openModel(EMBEDDED)).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(chat.isDisabled(), "the embedded base model has no template");
        assertTrue(text.isSelected());

        onFx(() -> explorer.engine.openModel(chatModel("tiny-base"))).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(chat.isDisabled());
        assertTrue(text.isSelected(), "a template alone does not make a chat model: Text by default");

        onFx(() -> explorer.engine.openModel(chatModel("tiny-Instruct"))).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(chat.isSelected(), "an Instruct model starts in Chat mode");
        robot.clickOn(text);
        assertFalse(explorer.prompt.chatProperty().get());
        robot.clickOn(chat);
        assertTrue(explorer.prompt.chatProperty().get());
    }

    @Test
    void aChatRunDimsTheTemplatesTokens(FxRobot robot) throws Exception {
        onFx(() -> explorer.engine.openModel(chatModel("tiny"))).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#prompt-mode-chat");
        Run run = onFx(() -> {
                    explorer.prompt.promptProperty().set("The experts in a mixture");
                    explorer.prompt.maxTokensProperty().set(3);
                    return explorer.prompt.generate();
                })
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        List<TokenTrace> tokens = run.store().view().tokens();
        // expected.json, first case: 8 template tokens, the user's 11, then the generation prompt (13)
        for (int p = 0; p < 32; p++) {
            assertEquals(p < 8 || p >= 19, tokens.get(p).fromTemplate(), "position " + p);
        }
        assertFalse(tokens.get(tokens.size() - 1).fromTemplate(), "generated");
        List<Chip> chips = explorer.transcript.chipsProperty().get();
        assertTrue(chips.get(0).template() && !chips.get(8).template());
        assertTrue(explorer.transcript.captionProperty().get().contains("dimmed = chat template"));
        assertFalse(robot.lookup(".chip-template").queryAll().isEmpty(), "template chips drawn dimmed");
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Platform.runLater(task);
        return task.get(30, TimeUnit.SECONDS);
    }
}
