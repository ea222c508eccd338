package io.moescope.app.window;

import io.moescope.app.session.Problem;
import io.moescope.app.session.Problems;
import io.moescope.viz.VizTheme;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * The one way the window talks to the user about outcomes: every failure becomes an {@link ErrorDialog} (the
 * engine's message, the file, details collapsed; never a stack trace up front), or, in snapshot mode, a line on
 * stderr. Dialogs, confirmations and notifications take the window's theme. FX thread.
 */
public final class ErrorDialogs implements Problems {

    private final Window owner;
    private final boolean quiet;
    private final List<ErrorDialog> showing = new ArrayList<>();

    public ErrorDialogs(Window owner, boolean quiet) {
        this.owner = owner;
        this.quiet = quiet;
    }

    @Override
    public void report(String title, String message) {
        report(Problem.of(title, message));
    }

    @Override
    public void report(Problem problem) {
        System.err.println("moescope: " + problem.title() + ": " + problem.message());
        if (quiet) {
            return;
        }
        for (ErrorDialog open : showing) {
            if (open.problem().title().equals(problem.title())
                    && open.problem().message().equals(problem.message())) {
                open.getDialogPane().getScene().getWindow().requestFocus();
                return; // the same failure again (a repeated shortcut): one dialog is enough
            }
        }
        ErrorDialog dialog = new ErrorDialog(problem);
        style(dialog);
        showing.add(dialog);
        dialog.setOnHidden(e -> showing.remove(dialog));
        dialog.show();
    }

    /** Asks an OK / Cancel question; true for OK. Always false in snapshot mode. */
    public boolean confirm(String header, String text) {
        if (quiet) {
            return false;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.OK, ButtonType.CANCEL);
        confirm.setTitle("MoE Scope");
        confirm.setHeaderText(header);
        style(confirm);
        return confirm.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** A short non-modal confirmation ("Saved …"). */
    public void info(String text) {
        if (quiet || owner == null) {
            return;
        }
        Notifications note = Notifications.create()
                .owner(owner)
                .title("MoE Scope")
                .text(text)
                .hideAfter(Duration.seconds(3));
        if (theme() == VizTheme.DARK) {
            note.darkStyle();
        }
        note.showInformation();
    }

    /** The dialogs that are open now (tests). */
    List<ErrorDialog> showing() {
        return List.copyOf(showing);
    }

    void style(Dialog<?> dialog) {
        if (owner != null) {
            dialog.initOwner(owner);
        }
        Scene scene = dialog.getDialogPane().getScene();
        Parent root = scene == null ? dialog.getDialogPane() : scene.getRoot();
        if (scene != null) {
            scene.getStylesheets().addAll(VizTheme.stylesheet(), MainView.stylesheet());
        } else {
            root.getStylesheets().addAll(VizTheme.stylesheet(), MainView.stylesheet());
        }
        theme().applyTo(root);
    }

    /** The owner window's theme (its scene root carries the theme class). */
    private VizTheme theme() {
        if (owner != null
                && owner.getScene() != null
                && owner.getScene().getRoot().getStyleClass().contains(VizTheme.LIGHT.styleClass())) {
            return VizTheme.LIGHT;
        }
        return VizTheme.DARK;
    }
}
