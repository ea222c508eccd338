package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptLines.Line;
import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.viz.color.Argb;
import java.util.function.IntConsumer;
import javafx.scene.CacheHint;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/**
 * One transcript line on screen: its chips as labels, reused when the node shows another line (a label is
 * restyled only when its chip changed). The line is cached as an image, so moving it (the transcript scrolls)
 * copies pixels instead of drawing every chip's rounded, possibly dashed outline again.
 */
final class TranscriptLineNode extends HBox {

    private final IntConsumer select;
    private Line line;

    TranscriptLineNode(IntConsumer select) {
        super(TranscriptView.GAP);
        this.select = select;
        getStyleClass().add("transcript-line");
        setFillHeight(false);
        setCache(true);
        setCacheHint(CacheHint.SPEED);
    }

    /** The line shown, or null. */
    Line line() {
        return line;
    }

    void show(Line next) {
        if (next == line) {
            return;
        }
        line = next;
        var nodes = getChildren();
        int n = next == null ? 0 : next.chips().size();
        if (nodes.size() > n) {
            nodes.remove(n, nodes.size());
        }
        for (int i = 0; i < n; i++) {
            Chip chip = next.chips().get(i);
            Label label = i < nodes.size() ? (Label) nodes.get(i) : newChip();
            if (!chip.equals(label.getUserData())) {
                style(label, chip);
            }
            if (i >= nodes.size()) {
                nodes.add(label);
            }
        }
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
        label.getStyleClass().removeAll("chip-prefill", "chip-decode", "chip-template");
        label.getStyleClass().add(chip.prefill() ? "chip-prefill" : "chip-decode");
        if (chip.template()) {
            label.getStyleClass().add("chip-template"); // dimmed: the chat template wrote it, not the user
        }
        label.setStyle(
                chip.prefill()
                        ? "-fx-border-color: " + hex + "; -fx-background-color: " + hex + "44;"
                        : "-fx-background-color: " + hex + "; -fx-border-color: " + hex + "; -fx-text-fill: "
                                + (Argb.relativeLuminance(chip.argb()) > 0.2 ? "#111111;" : "#ffffff;"));
        label.setAccessibleText("token " + chip.position() + (chip.expert() >= 0 ? ", expert " + chip.expert() : ""));
    }
}
