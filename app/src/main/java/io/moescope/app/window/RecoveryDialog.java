package io.moescope.app.window;

import io.moescope.app.recovery.RecoveredRun;
import io.moescope.app.recovery.RecoveryViewModel;
import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * Asks, at start, what to do with the runs a window that closed unexpectedly left: Restore (the chosen one, the
 * newest by default) or Discard. FX thread.
 */
public final class RecoveryDialog {

    static final ButtonType RESTORE = new ButtonType("Restore", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType DISCARD = new ButtonType("Discard", ButtonBar.ButtonData.CANCEL_CLOSE);

    private RecoveryDialog() {}

    /** Shows the offer if the view model found one (after {@link RecoveryViewModel#scan()}); returns at once. */
    public static void offer(RecoveryViewModel recovery, ErrorDialogs dialogs) {
        List<RecoveredRun> offers = recovery.offers();
        if (offers.isEmpty()) {
            return;
        }
        ComboBox<RecoveredRun> choice = new ComboBox<>();
        choice.getItems().setAll(offers);
        choice.getSelectionModel().selectFirst();
        choice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(RecoveredRun run) {
                return run == null ? "" : run.describe();
            }

            @Override
            public RecoveredRun fromString(String s) {
                return null;
            }
        });
        Label text = new Label(
                offers.size() == 1
                        ? "MoE Scope was recording this run when it stopped:\n"
                                + offers.get(0).describe()
                        : "MoE Scope was recording these runs when it stopped; restore one (the others are discarded):");
        text.setWrapText(true);
        VBox content = new VBox(8, text);
        if (offers.size() > 1) {
            content.getChildren().add(choice);
        }
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", RESTORE, DISCARD);
        alert.setTitle("MoE Scope");
        alert.setHeaderText("MoE Scope closed unexpectedly");
        alert.getDialogPane().setContent(content);
        alert.getDialogPane().setId("recovery-dialog");
        dialogs.style(alert);
        alert.setOnHidden(e -> {
            if (alert.getResult() == RESTORE) {
                recovery.restore(choice.getValue());
            } else {
                recovery.discard();
            }
        });
        alert.show();
    }
}
