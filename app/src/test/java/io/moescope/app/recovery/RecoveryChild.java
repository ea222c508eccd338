package io.moescope.app.recovery;

import io.moescope.app.prompt.PromptViewModel;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.model.tokenizer.Offline;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

/**
 * The window's recording path without the window, for {@link RecoveryKillTest} to kill: a recovery session, the
 * engine service writing into it, the engine view model opening a model, and the prompt view model generating as
 * the Generate button does, until the context is full. Prints {@code positions N} as the run grows (what a window would be showing),
 * then {@code finished} if nobody killed it first.
 *
 * <p>Arguments: data directory, model directory, prompt.
 */
public final class RecoveryChild {

    private RecoveryChild() {}

    public static void main(String[] args) throws Exception {
        Offline.enforce();
        RecoverySession session = RecoverySession.open(Path.of(args[0]));
        Workspace workspace = new Workspace(Runnable::run);
        EngineViewModel engine = new EngineViewModel(
                workspace,
                new EngineService(session),
                Runnable::run,
                (title, message) -> System.out.println("problem " + title + ": " + message),
                new RecentFiles(Preferences.userRoot().node("io/moescope/recovery-child")));
        engine.openModel(Path.of(args[1])).get(120, TimeUnit.SECONDS);
        PromptViewModel prompt = new PromptViewModel(
                engine, (title, message) -> System.out.println("problem " + title + ": " + message));
        prompt.maxTokensProperty().set(100_000); // until the context is full: longer than the test waits
        prompt.promptProperty().set(args[2]);
        var done = prompt.generate();
        Run run = workspace.getPrimary();
        System.out.println("session " + session.directory());
        while (!done.isDone()) {
            System.out.println("positions " + run.positions());
            System.out.flush();
            Thread.sleep(5);
        }
        System.out.println("finished " + run.positions());
        System.out.flush();
        Thread.sleep(60_000); // alive but idle: the test must not see a finished run
    }
}
