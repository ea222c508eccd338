package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.app.view.ChartView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * The transcript as token chips coloured by top-1 expert, wrapped into lines. Prompt (prefill) tokens are
 * outlined chips with a tinted background; generated (decode) tokens are solid; prompt tokens a chat template wrote
 * are dimmed. Click a chip to inspect the
 * token. Only the lines on screen exist as nodes ({@link TranscriptFlow}), so a run of any length costs the same
 * per frame; a streaming run re-wraps only its last line ({@link TranscriptLines}) and stays scrolled to the end
 * while the view is at the end.
 */
public final class TranscriptView implements ChartView {

    /** Chip font, padding and border: as in app.css {@code .chip}. */
    static final Font CHIP_FONT = Font.font("Monospaced", 12);

    static final double CHIP_PADDING_X = 3 + 1; // padding + border, each side
    static final double CHIP_PADDING_Y = 1 + 1;
    static final double GAP = 2;
    static final double LINE_GAP = 3;
    static final double PADDING = 6;

    private final BorderPane root = new BorderPane();
    private final TranscriptFlow flow;
    private final TranscriptLines wrapper;
    private final Text measure = new Text();
    private final Map<String, Double> widths = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > 4096;
        }
    };
    private final TranscriptViewModel viewModel;

    public TranscriptView(TranscriptViewModel viewModel) {
        this.viewModel = viewModel;
        this.wrapper = new TranscriptLines(this::chipWidth, GAP);
        measure.setFont(CHIP_FONT);
        measure.setText("Mg");
        double chipHeight = Math.ceil(measure.getLayoutBounds().getHeight() + 2 * CHIP_PADDING_Y);
        flow = new TranscriptFlow(chipHeight + LINE_GAP, viewModel::select);
        flow.setId("transcript");
        flow.getStyleClass().add("transcript");
        flow.setPadding(new Insets(PADDING));
        Label caption = new Label();
        caption.getStyleClass().add("hint");
        caption.textProperty().bind(viewModel.captionProperty());
        root.setTop(caption);
        root.setCenter(flow);
        viewModel.chipsProperty().addListener((obs, o, chips) -> update(chips));
        flow.widthProperty()
                .addListener((obs, o, w) -> update(viewModel.chipsProperty().get()));
        update(viewModel.chipsProperty().get());
    }

    private void update(List<Chip> chips) {
        wrapper.update(flow.lines(), chips, flow.lineWidth());
        flow.linesChanged();
    }

    /** A chip's width: its text in the chip font plus padding and border (cached per text). */
    private double chipWidth(Chip chip) {
        String text = RoutingHeatmaps.printable(chip.text());
        return widths.computeIfAbsent(text, t -> {
            measure.setText(t);
            return Math.ceil(measure.getLayoutBounds().getWidth()) + 2 * CHIP_PADDING_X;
        });
    }

    @Override
    public String name() {
        return "transcript";
    }

    @Override
    public String title() {
        return "Transcript";
    }

    @Override
    public Node root() {
        return root;
    }
}
