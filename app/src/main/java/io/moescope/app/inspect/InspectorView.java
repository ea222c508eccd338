package io.moescope.app.inspect;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import io.moescope.viz.export.SvgExport;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The token inspector: routing through every layer, chosen experts with weights, top-10 next tokens. */
public final class InspectorView implements ChartView {

    private final VBox root = new VBox(6);
    private final HeatmapCanvas heatmap = new HeatmapCanvas();
    private final InspectorViewModel viewModel;
    private final Label choices = new Label();
    private final Label next = new Label();

    public InspectorView(InspectorViewModel viewModel, Workspace workspace) {
        this.viewModel = viewModel;
        Label title = new Label();
        title.setId("inspector-title");
        title.getStyleClass().add("section");
        title.textProperty().bind(viewModel.titleProperty());
        title.setStyle("-fx-wrap-text: false;"); // one line: a new title must not move the panel below it
        heatmap.setId("inspector-heatmap");
        heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
        heatmap.colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
        heatmap.setMaxRowHeight(26);
        // as tall as its rows need (up to a limit), so the lists below get the rest
        viewModel
                .heatmapProperty()
                .addListener((obs, o, grid) ->
                        heatmap.setPrefHeight(Math.max(80, Math.min(360, 28 + 22 * grid.rows()))));
        heatmap.setPrefHeight(80);
        heatmap.setMinHeight(60);
        choices.setId("inspector-choices");
        next.setId("inspector-next");
        // plain lines, not list views: they change with every token the inspector follows, and a list view
        // re-styles and re-lays out its cells each time (a few ms per frame on the software renderer)
        viewModel
                .choicesProperty()
                .addListener((obs, o, rows) -> choices.setText(
                        rows.isEmpty()
                                ? "—"
                                : String.join(
                                        "\n",
                                        rows.stream()
                                                .map(r -> String.format(
                                                        Locale.ROOT,
                                                        "L%-3d %s%s",
                                                        r.layer(),
                                                        r.describe(),
                                                        Float.isNaN(r.sharedShare()) || r.sharedShare() == 0
                                                                ? ""
                                                                : String.format(
                                                                        Locale.ROOT,
                                                                        "   always-on %.2f",
                                                                        r.sharedShare())))
                                                .toList())));
        viewModel
                .nextProperty()
                .addListener((obs, o, list) -> next.setText(
                        list.isEmpty()
                                ? "no next-token probabilities recorded here"
                                : String.join("\n", format(list))));
        choices.setText("—");
        next.setText("no next-token probabilities recorded here");
        VBox left = box("Chosen experts, weights", lines(choices));
        VBox right = box("Top-10 next tokens", lines(next));
        // one above the other: a layer's experts and weights need the panel's whole width
        VBox lists = new VBox(6, left, right);
        VBox.setVgrow(left, Priority.ALWAYS);
        VBox.setVgrow(right, Priority.ALWAYS);
        VBox.setVgrow(lists, Priority.ALWAYS);
        Label hint = new Label();
        hint.getStyleClass().add("hint");
        hint.textProperty()
                .bind(javafx.beans.binding.Bindings.when(viewModel.followingNewestProperty())
                        .then(
                                "Following the newest token: click a token to pin it. Layers × experts gate probabilities, "
                                        + "chosen experts outlined.")
                        .otherwise("Layers × experts gate probabilities of this token, chosen experts outlined."));
        Label noScores = new Label("This position was recorded without router scores (ids only): the heatmap has "
                + "no probabilities, only the chosen experts outlined.");
        noScores.setId("inspector-no-scores");
        noScores.setWrapText(true);
        noScores.visibleProperty()
                .bind(javafx.beans.binding.Bindings.createBooleanBinding(
                        () -> viewModel.tokenProperty().get() != null
                                && !viewModel.tokenProperty().get().hasScores(),
                        viewModel.tokenProperty()));
        noScores.managedProperty().bind(noScores.visibleProperty());
        root.getChildren().addAll(title, hint, noScores, heatmap, lists);
        root.setPadding(new Insets(6));
    }

    /**
     * "53.14% ██████     ' the'" lines: probability, a 10-character bar, then the token, so a narrow list
     * clips the token's tail rather than the bar.
     */
    public static List<String> format(List<InspectorViewModel.NextToken> list) {
        return list.stream()
                .map(t -> {
                    int cells = Math.max(0, Math.min(BAR, Math.round(t.probability() * BAR)));
                    return String.format(
                            Locale.ROOT,
                            "%6.2f%% %s%s '%s'",
                            100 * t.probability(),
                            "\u2588".repeat(cells),
                            " ".repeat(BAR - cells),
                            RoutingHeatmaps.printable(t.text()));
                })
                .toList();
    }

    private static final int BAR = 10;

    /** Lines of monospaced text in a scroll pane that scrolls both ways when the panel is small. */
    private static ScrollPane lines(Label text) {
        text.getStyleClass().add("text-lines");
        text.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        text.setMinSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE); // long lines scroll, never end in "..."
        ScrollPane pane = new ScrollPane(text);
        pane.getStyleClass().add("text-lines-pane");
        pane.setPrefHeight(120);
        return pane;
    }

    private static VBox box(String title, Node content) {
        Label label = new Label(title);
        label.getStyleClass().add("section");
        VBox box = new VBox(4, label, content);
        VBox.setVgrow(content, Priority.ALWAYS);
        return box;
    }

    @Override
    public String name() {
        return "inspector";
    }

    @Override
    public String title() {
        return "Token inspector";
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public boolean hasSvg() {
        return true;
    }

    @Override
    public void writeSvg(Path target) throws IOException {
        SvgExport.writeHeatmap(viewModel.heatmapProperty().get(), heatmap.getColorScale(), target);
    }
}
