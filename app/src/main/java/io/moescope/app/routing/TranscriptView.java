package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptLines.Line;
import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.app.shell.ChartView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.layout.BorderPane;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * The transcript as token chips coloured by top-1 expert, wrapped into lines. Prompt (prefill) tokens are
 * outlined chips with a tinted background; generated (decode) tokens are solid. Click a chip to inspect the
 * token. Only the lines on screen exist as nodes (a ListView of lines, {@link TranscriptCell}), so a run of any
 * length costs the same per frame; a streaming run re-wraps only its last line ({@link TranscriptLines}) and
 * stays scrolled to the end while the view is at the end.
 */
public final class TranscriptView implements ChartView {

    /** Chip font, padding and border: as in app.css {@code .chip}. */
    static final Font CHIP_FONT = Font.font("Monospaced", 12);
    static final double CHIP_PADDING_X = 3 + 1;   // padding + border, each side
    static final double CHIP_PADDING_Y = 1 + 1;
    static final double GAP = 2;
    static final double LINE_GAP = 3;

    private final BorderPane root = new BorderPane();
    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final ListView<Line> list = new ListView<>(lines);
    private final TranscriptViewModel viewModel;
    private final TranscriptLines wrapper;
    private final Text measure = new Text();
    private VirtualFlow<?> flow; // the list's, once its skin exists
    private final Map<String, Double> widths = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > 4096;
        }
    };

    public TranscriptView(TranscriptViewModel viewModel) {
        this.viewModel = viewModel;
        this.wrapper = new TranscriptLines(this::chipWidth, GAP);
        measure.setFont(CHIP_FONT);
        measure.setText("Mg");
        double chipHeight = Math.ceil(measure.getLayoutBounds().getHeight() + 2 * CHIP_PADDING_Y);
        list.setId("transcript");
        list.getStyleClass().add("transcript");
        list.setFixedCellSize(chipHeight + LINE_GAP);
        list.setFocusTraversable(false);
        list.setCellFactory(v -> new TranscriptCell(viewModel::select));
        javafx.scene.control.Label caption = new javafx.scene.control.Label();
        caption.getStyleClass().add("hint");
        caption.textProperty().bind(viewModel.captionProperty());
        root.setTop(caption);
        root.setCenter(list);
        viewModel.chipsProperty().addListener((obs, o, chips) -> update(chips));
        list.widthProperty().addListener((obs, o, w) -> update(viewModel.chipsProperty().get()));
        update(viewModel.chipsProperty().get());
    }

    private void update(List<Chip> chips) {
        VirtualFlow<?> flow = flow();
        boolean atEnd = flow == null || lines.isEmpty() || flow.getPosition() >= 1 - 1e-6
                || flow.getLastVisibleCell() != null && flow.getLastVisibleCell().getIndex() >= lines.size() - 1;
        wrapper.update(lines, chips, wrapWidth());
        if (atEnd && !lines.isEmpty()) {
            if (flow != null) {
                flow.scrollTo(lines.size() - 1);
            } else {
                list.scrollTo(lines.size() - 1);
            }
        }
    }

    /** Pixels a line may fill: the list's width less its insets, a scroll bar and the cell padding. */
    private double wrapWidth() {
        double w = list.getWidth() > 0 ? list.getWidth() : list.getPrefWidth();
        return Math.max(60, w - list.snappedLeftInset() - list.snappedRightInset() - 18 - 2 * TranscriptCell.PADDING);
    }

    private VirtualFlow<?> flow() {
        if (flow == null && list.lookup(".virtual-flow") instanceof VirtualFlow<?> f) {
            flow = f;
        }
        return flow;
    }

    /** A chip's width: its text in the chip font plus padding and border (cached per text). */
    private double chipWidth(Chip chip) {
        String text = RoutingHeatmaps.printable(chip.text());
        return widths.computeIfAbsent(text, t -> {
            measure.setText(t);
            return Math.ceil(measure.getLayoutBounds().getWidth()) + 2 * CHIP_PADDING_X;
        });
    }

    @Override public String name() { return "transcript"; }
    @Override public String title() { return "Transcript"; }
    @Override public Node root() { return root; }

    /** The lines on screen and off it (for tests). */
    public ListView<Line> list() { return list; }
}
