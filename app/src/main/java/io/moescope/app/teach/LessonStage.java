package io.moescope.app.teach;

import io.moescope.app.prompt.PromptViewModel;
import io.moescope.app.session.AppPaths;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.MoeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Puts a lesson step on screen with the explorer's own view models: opens the lesson's model if another is open,
 * generates the step's prompt (greedy, with its intervention) when it differs from what the lesson last ran,
 * selects the view, and points the walkthrough at the step's token, layer and step. A step on the balancing view
 * needs no model: it selects the view and does the step's demo action (replay, start, pause, resume, stop).
 * UI thread.
 */
public final class LessonStage {

    private final EngineViewModel engine;
    private final PromptViewModel prompt;
    private final WalkthroughViewModel walk;
    private final Consumer<String> selectView;
    private final BalanceDemoViewModel balance;
    private Run lastRun;
    private String lastKey;

    public LessonStage(
            EngineViewModel engine,
            PromptViewModel prompt,
            WalkthroughViewModel walk,
            Consumer<String> selectView,
            BalanceDemoViewModel balance) {
        this.balance = balance;
        this.engine = engine;
        this.prompt = prompt;
        this.walk = walk;
        this.selectView = selectView;
    }

    /** The lesson's model directory: "embedded", else relative to the lesson's folder, else to the home. */
    public static Path modelDir(String model, Path lessonDir) {
        if (model.equals("embedded")) {
            Path dir = AppPaths.embeddedModel();
            return dir != null ? dir : AppPaths.home().resolve(AppPaths.EMBEDDED_MODEL);
        }
        Path near = lessonDir == null ? null : lessonDir.resolve(model).normalize();
        return near != null && Files.isDirectory(near)
                ? near
                : AppPaths.home().resolve(model).normalize();
    }

    /** Shows a step; completes when its run and walkthrough are loaded (failures are reported where they occur). */
    public CompletableFuture<Void> show(Lesson lesson, Path lessonDir, Lesson.State s) {
        if (!s.needsRun()) {
            selectView.accept(s.view());
            balance(s.balance());
            return CompletableFuture.completedFuture(null);
        }
        Path dir = modelDir(lesson.model(), lessonDir);
        MoeModel open = engine.getModel();
        CompletableFuture<?> ready = open != null && sameDir(open.directory(), dir)
                ? CompletableFuture.completedFuture(open)
                : engine.openModel(dir);
        return ready.thenCompose(m -> run(s)).thenCompose(r -> point(s));
    }

    /** A balancing step's action; a step without one leaves the demo as it is. */
    private void balance(String action) {
        if (action == null) {
            return;
        }
        switch (action) {
            case "replay":
                balance.replayShipped();
                break;
            case "start":
                balance.start();
                break;
            case "pause":
                balance.pause();
                break;
            case "resume":
                balance.resume();
                break;
            case "stop":
                balance.stop();
                break;
            default:
                throw new IllegalArgumentException("unknown balancing action " + action);
        }
    }

    private static boolean sameDir(Path a, Path b) {
        return a != null
                && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private CompletableFuture<?> run(Lesson.State s) {
        Intervention iv = s.intervention();
        String key = s.prompt() + "\u0000" + s.maxTokens() + "\u0000" + iv;
        if (Objects.equals(key, lastKey)
                && lastRun != null
                && lastRun == engine.workspace().getPrimary()) {
            return CompletableFuture.completedFuture(lastRun);
        }
        prompt.promptProperty().set(s.prompt());
        prompt.maxTokensProperty().set(s.maxTokens());
        prompt.greedyProperty().set(true);
        return prompt.generate(s.prompt(), iv, false, "lesson").thenApply(r -> {
            lastRun = r;
            lastKey = key;
            return r;
        });
    }

    private CompletableFuture<Void> point(Lesson.State s) {
        selectView.accept(s.view());
        TraceSnapshot view = engine.workspace().primaryView();
        int moe = s.layer() >= 0 && view.shape() != null
                ? view.shape().moeIndex(s.layer())
                : walk.moeLayerProperty().get();
        int position = s.token() >= 0 ? s.token() : walk.positionProperty().get();
        return walk.show(position, Math.max(0, moe)).thenAccept(in -> {
            if (s.walk() != null) {
                walk.selectStep(s.walk());
            } else {
                walk.firstStep();
            }
        });
    }
}
