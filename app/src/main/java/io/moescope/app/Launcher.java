package io.moescope.app;

import io.moescope.app.cli.MoeScopeCli;

/**
 * Plain main class (not the JavaFX Application) so the app runs from the classpath: with no arguments it opens
 * the window; with arguments it runs the command line.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(MoeScopeCli.run(args.length == 0 ? new String[] {"gui"} : args));
    }
}
