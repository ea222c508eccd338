package io.moescope.app.session;

/** Where view models send failures a user must see. The window shows a dialog; tests record them. */
@FunctionalInterface
public interface Problems {

    /** @param title what failed ("Cannot open the model"); @param message the engine's message, no stack trace */
    void report(String title, String message);
}
