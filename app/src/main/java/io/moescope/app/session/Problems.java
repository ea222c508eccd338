package io.moescope.app.session;

import java.nio.file.Path;

/** Where view models send failures a user must see. The window shows a dialog; tests record them. */
@FunctionalInterface
public interface Problems {

    /** @param title what failed ("Cannot open the model"); @param message the engine's message, no stack trace */
    void report(String title, String message);

    /** A problem with its file and details; by default only its title and message are reported. */
    default void report(Problem problem) {
        report(problem.title(), problem.message());
    }

    /** A failure while working on {@code file} (may be null): {@code report(Problem.of(title, file, failure))}. */
    default void report(String title, Path file, Throwable failure) {
        report(Problem.of(title, file, failure));
    }
}
