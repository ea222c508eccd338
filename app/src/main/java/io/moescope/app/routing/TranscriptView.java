package io.moescope.app.routing;

import io.moescope.app.shell.ChartView;
import io.moescope.viz.color.Argb;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;

/**
 * The transcript as token chips coloured by top-1 expert. Prompt (prefill) tokens are outlined chips with a
 * tinted background; generated (decode) tokens are solid. Click a chip to inspect the token. Chips are reused
 * between refreshes, so a streaming run only appends.
 */
public final class TranscriptView implements ChartView {

    private final BorderPane root = new BorderPane();
    private final FlowPane flow = new FlowPane(2, 3);
    private final ScrollPane scroll = new ScrollPane(flow);
    private final TranscriptViewModel viewModel;

    public TranscriptView(TranscriptViewModel viewModel) {
        this.viewModel = viewModel;
        flow.setId("transcript");
        flow.setPadding(new Insets(6));
        flow.getStyleClass().add("transcript");
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("transcript-scroll");
        Label caption = new Label();
        caption.getStyleClass().add("hint");
        caption.textProperty().bind(viewModel.captionProperty());
        root.setTop(caption);
        root.setCenter(scroll);
        viewModel.chipsProperty().addListener((obs, o, chips) -> update(chips));
        update(viewModel.chipsProperty().get());
    }

    private void update(List<TranscriptViewModel.Chip> chips) {
        boolean atBottom = scroll.getVvalue() >= scroll.getVmax() - 0.02;
        var nodes = flow.getChildren();
        dropLeadingChips(nodes, chips.isEmpty() ? Integer.MAX_VALUE : chips.get(0).position());
        if (nodes.size() > chips.size()) {
            nodes.remove(chips.size(), nodes.size());
        }
        for (int i = 0; i < chips.size(); i++) {
            TranscriptViewModel.Chip chip = chips.get(i);
            Label label = i < nodes.size() ? (Label) nodes.get(i) : newChip();
            if (!chip.equals(label.getUserData())) {
                style(label, chip);
            }
            if (i >= nodes.size()) {
                nodes.add(label);
            }
        }
        if (atBottom) {
            scroll.setVvalue(scroll.getVmax());
        }
    }

    /** Removes chips for positions before {@code firstPosition}, so the rest keep their index (and their style). */
    private static void dropLeadingChips(javafx.collections.ObservableList<Node> nodes, int firstPosition) {
        int drop = 0;
        while (drop < nodes.size() && nodes.get(drop).getUserData() instanceof TranscriptViewModel.Chip c
                && c.position() < firstPosition) {
            drop++;
        }
        if (drop > 0) {
            nodes.remove(0, drop);
        }
    }

    private Label newChip() {
        Label label = new Label();
        label.getStyleClass().add("chip");
        label.setOnMouseClicked(e -> {
            if (label.getUserData() instanceof TranscriptViewModel.Chip chip) {
                viewModel.select(chip.position());
            }
        });
        return label;
    }

    private static void style(Label label, TranscriptViewModel.Chip chip) {
        label.setUserData(chip);
        label.setText(RoutingHeatmaps.printable(chip.text()));
        String hex = Argb.hex(chip.argb());
        label.getStyleClass().removeAll("chip-prefill", "chip-decode");
        label.getStyleClass().add(chip.prefill() ? "chip-prefill" : "chip-decode");
        label.setStyle(chip.prefill()
                ? "-fx-border-color: " + hex + "; -fx-background-color: " + hex + "44;"
                : "-fx-background-color: " + hex + "; -fx-border-color: " + hex + "; -fx-text-fill: "
                + (Argb.relativeLuminance(chip.argb()) > 0.2 ? "#111111;" : "#ffffff;"));
        label.setTooltip(null);
        label.setAccessibleText("token " + chip.position() + (chip.expert() >= 0 ? ", expert " + chip.expert() : ""));
    }

    @Override public String name() { return "transcript"; }
    @Override public String title() { return "Transcript"; }
    @Override public Node root() { return root; }
    public FlowPane flow() { return flow; }
}
