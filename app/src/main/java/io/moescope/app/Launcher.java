package io.moescope.app;

import io.moescope.app.cli.MoeScopeCli;
import io.moescope.model.tokenizer.Offline;

/**
 * Plain main class (not the JavaFX Application) so the app runs from the classpath: with no arguments it opens
 * the window; with arguments it runs the command line. MoE Scope never opens a network connection: the first thing
 * it does is switch off every library's call-home ({@link Offline}).
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        Offline.enforce();
        System.exit(MoeScopeCli.run(args.length == 0 ? new String[] {"gui"} : args));
    }
}
