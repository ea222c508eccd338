package io.moescope.app.teach;

import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import io.moescope.viz.heatmap.ColorLegend;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The balancing tab: Start / Pause / Stop / Replay on top; one column per copy (no balancing, auxiliary loss,
 * aux-loss-free bias) with its expert-load heatmaps over steps (one per MoE layer, {@link HeatmapCanvas}
 * stacked); under them three line charts that put the copies side by side: max/mean load of the worst MoE
 * layer, the language-model loss and the balance loss. FX thread only.
 */
public final class BalanceDemoView implements ChartView {

    /** The line colours of the charts' first three series (modena's CHART_COLOR_1..3). */
    private static final String[] SERIES_COLOURS = {"#f3622d", "#fba71b", "#57b757"};

    private final BalanceDemoViewModel vm;
    private final BorderPane root = new BorderPane();
    private final HeatmapCanvas[] heatmaps = new HeatmapCanvas[3];
    private final Label[] titles = new Label[3];
    private final Label[] summaries = new Label[3];
    private final LineChart<Number, Number> ratio = chart("balance-ratio", "max/mean load");
    private final LineChart<Number, Number> loss = chart("balance-loss", "language-model loss");
    private final LineChart<Number, Number> balance = chart("balance-balance", "balance loss");

    public BalanceDemoView(BalanceDemoViewModel vm, Workspace workspace) {
        this.vm = vm;
        root.setId("balance");
        root.getStyleClass().add("balance");
        root.getStylesheets().add(Presentation.stylesheet());
        Button start = button("balance-start", "▶ Start training", vm::start);
        Button pause = button("balance-pause", "Pause", vm::togglePause);
        pause.textProperty()
                .bind(Bindings.when(vm.stateProperty().isEqualTo(BalanceDemoViewModel.State.PAUSED))
                        .then("Resume")
                        .otherwise("Pause"));
        Button stop = button("balance-stop", "■ Stop", vm::stop);
        Button replay = button("balance-replay", "Replay shipped logs", vm::replayShipped);
        start.disableProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> live(vm.stateProperty().get()), vm.stateProperty()));
        pause.disableProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> !running(vm.stateProperty().get()), vm.stateProperty()));
        stop.disableProperty().bind(pause.disableProperty());
        Label status = new Label();
        status.setId("balance-status");
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(8, start, pause, stop, replay, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label caption = new Label();
        caption.setId("balance-caption");
        caption.getStyleClass().add("hint");
        caption.setWrapText(true);
        ColorLegend legend = new ColorLegend();
        legend.setPrefSize(90, 64);
        legend.setMaxHeight(64);
        legend.titleProperty().set("load ÷ mean");
        HBox captionRow = new HBox(12, caption, legend);
        HBox.setHgrow(caption, Priority.ALWAYS);
        VBox top = new VBox(4, bar, captionRow);
        top.setPadding(new Insets(8, 10, 4, 10));

        HBox columns = new HBox(10);
        for (int i = 0; i < 3; i++) {
            titles[i] = new Label();
            titles[i].setId("balance-title-" + i);
            titles[i].getStyleClass().add("section");
            // the column title in its line colour (modena's default-color0..2), so the charts need no key
            titles[i].setStyle("-fx-text-fill: " + SERIES_COLOURS[i] + ";");
            summaries[i] = new Label();
            summaries[i].setId("balance-summary-" + i);
            summaries[i].setWrapText(true);
            summaries[i].setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            heatmaps[i] = new HeatmapCanvas();
            heatmaps[i].setId("balance-heat-" + i);
            heatmaps[i].setMaxRowHeight(18);
            heatmaps[i].setFollowTail(false);
            heatmaps[i].colorScaleProperty().bind(Palette.binding(workspace.paletteProperty()));
            heatmaps[i].setTooltipFormatter(cell -> String.format(
                    Locale.ROOT,
                    "%s\n%s, %s: %.2f × the mean load",
                    cell.blockTitle(),
                    cell.rowLabel(),
                    cell.colLabel(),
                    cell.value()));
            VBox column = new VBox(4, titles[i], summaries[i], heatmaps[i]);
            VBox.setVgrow(heatmaps[i], Priority.ALWAYS);
            HBox.setHgrow(column, Priority.ALWAYS);
            column.setMinWidth(0);
            column.setPrefWidth(100);
            columns.getChildren().add(column);
        }
        legend.colorScaleProperty().bind(heatmaps[0].colorScaleProperty());
        columns.setPadding(new Insets(4, 10, 4, 10));
        HBox charts = new HBox(6, ratio, loss, balance);
        for (LineChart<Number, Number> c : List.of(ratio, loss, balance)) {
            HBox.setHgrow(c, Priority.ALWAYS);
        }
        charts.setPrefHeight(230);
        charts.setMinHeight(160);
        root.setTop(top);
        root.setCenter(columns);
        root.setBottom(charts);
        vm.frameProperty().addListener((obs, o, f) -> {
            caption.setText(f.caption());
            legend.setRange(0, f.maxShare());
            show(f);
        });
        show(vm.frameProperty().get());
    }

    private static boolean running(BalanceDemoViewModel.State s) {
        return s == BalanceDemoViewModel.State.RUNNING || s == BalanceDemoViewModel.State.PAUSED;
    }

    private static boolean live(BalanceDemoViewModel.State s) {
        return running(s) || s == BalanceDemoViewModel.State.STARTING || s == BalanceDemoViewModel.State.STOPPING;
    }

    private void show(BalanceDemoViewModel.Frame f) {
        for (int i = 0; i < 3; i++) {
            BalanceTrack.View v = i < f.copies().size() ? f.copies().get(i) : null;
            titles[i].setText(v == null ? "" : v.label());
            summaries[i].setText(
                    v == null
                            ? ""
                            : v.size() == 0 && f.caption().startsWith("Replay")
                                    ? "no shipped log for this mode"
                                    : v.summary());
            heatmaps[i].setStacked(v == null ? List.of() : v.heatmaps());
        }
        follow(ratio, f, BalanceTrack.View::maxOverMean);
        follow(loss, f, BalanceTrack.View::loss);
        follow(balance, f, BalanceTrack.View::balanceLoss);
    }

    /** Appends the new points of each copy (or starts over when the frame is a new run). */
    private static void follow(
            LineChart<Number, Number> chart,
            BalanceDemoViewModel.Frame f,
            Function<BalanceTrack.View, double[]> values) {
        while (chart.getData().size() < f.copies().size()) {
            chart.getData().add(new XYChart.Series<>());
        }
        for (int i = 0; i < f.copies().size(); i++) {
            BalanceTrack.View v = f.copies().get(i);
            XYChart.Series<Number, Number> s = chart.getData().get(i);
            s.setName(v.label());
            int have = s.getData().size();
            boolean sameRun = have <= v.size()
                    && (have == 0 || s.getData().get(0).getXValue().intValue() == v.steps()[0]);
            if (!sameRun) {
                s.getData().clear();
                have = 0;
            }
            double[] y = values.apply(v);
            java.util.List<XYChart.Data<Number, Number>> add = new java.util.ArrayList<>();
            for (int k = have; k < v.size(); k++) {
                if (Double.isFinite(y[k])) {
                    add.add(new XYChart.Data<>(v.steps()[k], y[k]));
                }
            }
            s.getData().addAll(add);
        }
    }

    private static LineChart<Number, Number> chart(String id, String title) {
        NumberAxis x = new NumberAxis();
        x.setLabel("step");
        x.setForceZeroInRange(false);
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(false);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setId(id);
        c.setTitle(title);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(true);
        c.setMinWidth(0);
        c.setPrefWidth(100);
        return c;
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    /** The heatmap of copy {@code i} (tests). */
    public HeatmapCanvas heatmap(int i) {
        return heatmaps[i];
    }

    /** The chart with the copies' max/mean (tests). */
    public LineChart<Number, Number> ratioChart() {
        return ratio;
    }

    @Override
    public String name() {
        return "balance";
    }

    @Override
    public String title() {
        return "Load balancing";
    }

    @Override
    public Node root() {
        return root;
    }
}
