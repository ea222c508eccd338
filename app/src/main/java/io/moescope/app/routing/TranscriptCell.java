package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptLines.Line;
import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.viz.color.Argb;
import java.util.function.IntConsumer;
import javafx.geometry.Insets;
import javafx.scene.CacheHint;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;

/**
 * One transcript line: its chips as labels, reused when the cell shows another line (a label is restyled only
 * when its chip changed). The line is cached as an image, so scrolling moves pixels instead of drawing every
 * chip's rounded, possibly dashed outline again.
 */
final class TranscriptCell extends ListCell<Line> {

    static final double PADDING = 6;

    private final HBox chips = new HBox(TranscriptView.GAP);
    private final IntConsumer select;

    TranscriptCell(IntConsumer select) {
        this.select = select;
        getStyleClass().add("transcript-line");
        setPadding(new Insets(0, PADDING, 0, PADDING));
        setPrefWidth(0); // never wider than the list: lines are wrapped to its width
        chips.setFillHeight(false);
        chips.setCache(true);
        chips.setCacheHint(CacheHint.SPEED);
        setText(null);
    }

    @Override
    protected void updateItem(Line line, boolean empty) {
        super.updateItem(line, empty);
        if (empty || line == null) {
            chips.getChildren().clear();
            setGraphic(null);
            return;
        }
        var nodes = chips.getChildren();
        int n = line.chips().size();
        if (nodes.size() > n) {
            nodes.remove(n, nodes.size());
        }
        for (int i = 0; i < n; i++) {
            Chip chip = line.chips().get(i);
            Label label = i < nodes.size() ? (Label) nodes.get(i) : newChip();
            if (!chip.equals(label.getUserData())) {
                style(label, chip);
            }
            if (i >= nodes.size()) {
                nodes.add(label);
            }
        }
        setGraphic(chips);
    }

    private Label newChip() {
        Label label = new Label();
        label.getStyleClass().add("chip");
        label.setMinWidth(Label.USE_PREF_SIZE);
        label.setOnMouseClicked(e -> {
            if (label.getUserData() instanceof Chip chip) {
                select.accept(chip.position());
            }
        });
        return label;
    }

    private static void style(Label label, Chip chip) {
        label.setUserData(chip);
        label.setText(RoutingHeatmaps.printable(chip.text()));
        String hex = Argb.hex(chip.argb());
        label.getStyleClass().removeAll("chip-prefill", "chip-decode");
        label.getStyleClass().add(chip.prefill() ? "chip-prefill" : "chip-decode");
        label.setStyle(chip.prefill()
                ? "-fx-border-color: " + hex + "; -fx-background-color: " + hex + "44;"
                : "-fx-background-color: " + hex + "; -fx-border-color: " + hex + "; -fx-text-fill: "
                + (Argb.relativeLuminance(chip.argb()) > 0.2 ? "#111111;" : "#ffffff;"));
        label.setAccessibleText("token " + chip.position() + (chip.expert() >= 0 ? ", expert " + chip.expert() : ""));
    }
}
