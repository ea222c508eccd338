package io.moescope.app.window;

import io.moescope.app.session.Problem;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.dialog.ExceptionDialog;

/**
 * The ControlsFX exception dialog, reworded for users: the header says what failed, the content is the engine's
 * one-line message (file name first) with the file's full path under it, and the collapsed "Show details" area
 * holds the cause chain and stack trace for a bug report (absent when there is no exception).
 */
final class ErrorDialog extends ExceptionDialog {

    private final Problem problem;

    ErrorDialog(Problem problem) {
        // ControlsFX fills content and details from a throwable; both are replaced below
        super(new Exception(problem.message(), null));
        this.problem = problem;
        setTitle("MoE Scope");
        setResizable(true);
        DialogPane pane = getDialogPane();
        pane.getStyleClass().add("moescope-error");
        pane.setHeaderText(problem.title());

        Label headline = new Label(problem.headline());
        headline.setId("error-headline");
        headline.getStyleClass().add("error-headline");
        headline.setWrapText(true);
        VBox content = new VBox(6, headline);
        if (problem.file() != null) {
            Label file = new Label(problem.file().toAbsolutePath().toString());
            file.setId("error-file");
            file.getStyleClass().add("error-file");
            file.setWrapText(true);
            content.getChildren().add(file);
        }
        content.setMaxWidth(Double.MAX_VALUE);
        pane.setContent(content);

        if (problem.details().isEmpty()) {
            pane.setExpandableContent(null);
        } else {
            TextArea details = new TextArea(problem.details());
            details.setId("error-details");
            details.getStyleClass().add("error-details");
            details.setEditable(false);
            details.setPrefRowCount(14);
            VBox.setVgrow(details, Priority.ALWAYS);
            pane.setExpandableContent(new VBox(details));
        }
        pane.setExpanded(false);
        pane.setMinWidth(560);
        pane.setPrefWidth(640);
    }

    Problem problem() {
        return problem;
    }
}
