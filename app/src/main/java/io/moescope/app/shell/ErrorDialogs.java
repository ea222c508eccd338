package io.moescope.app.shell;

import io.moescope.app.session.Problems;
import javafx.scene.control.Alert;
import javafx.stage.Window;
import org.controlsfx.control.Notifications;

/**
 * Shows problems to the user: a modal error dialog with the engine's message (never a stack trace), or, in
 * snapshot mode, a line on stderr. Confirmations use ControlsFX notifications.
 */
public final class ErrorDialogs implements Problems {

    private final Window owner;
    private final boolean quiet;

    public ErrorDialogs(Window owner, boolean quiet) {
        this.owner = owner;
        this.quiet = quiet;
    }

    @Override
    public void report(String title, String message) {
        System.err.println("moescope: " + title + ": " + message);
        if (quiet) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(owner);
        alert.setTitle("MoE Scope");
        alert.setHeaderText(title);
        alert.setContentText(message);
        alert.getDialogPane().setMinWidth(480);
        alert.show();
    }

    /** A short non-modal confirmation ("Saved …"). */
    public void info(String text) {
        if (quiet || owner == null) {
            return;
        }
        Notifications.create().owner(owner).title("MoE Scope").text(text).hideAfter(javafx.util.Duration.seconds(3))
                .showInformation();
    }
}
