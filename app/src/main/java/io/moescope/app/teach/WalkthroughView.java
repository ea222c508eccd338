package io.moescope.app.teach;

import io.moescope.app.session.Workspace;
import io.moescope.app.view.ChartView;
import io.moescope.app.view.Palette;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The walkthrough tab: token and layer on top, the step's formula and note, its values drawn by {@link StepCanvas},
 * the steps as a row of links, and buttons for what the keys do (←/→ steps, ↑/↓ layers, PgUp/PgDn tokens).
 */
public final class WalkthroughView implements ChartView {

    private final WalkthroughViewModel vm;
    private final BorderPane root = new BorderPane();
    private final StepCanvas canvas = new StepCanvas();
    private final FlowPane crumbs = new FlowPane(6, 4);

    public WalkthroughView(WalkthroughViewModel vm, Workspace workspace) {
        this.vm = vm;
        root.setId("walkthrough");
        root.getStyleClass().add("walkthrough");
        root.getStylesheets().add(Presentation.stylesheet());
        root.setFocusTraversable(true);
        Label header = label("walk-header", "walk-header", vm.headerProperty());
        Label variant = label("walk-variant", "walk-variant", vm.variantProperty());
        Label title = new Label();
        title.setId("walk-step-title");
        title.getStyleClass().add("walk-step-title");
        title.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> vm.stepProperty().get() == null
                                ? ""
                                : "Step " + (vm.stepIndexProperty().get() + 1) + " of "
                                        + vm.stepsProperty().get().size() + ": "
                                        + vm.stepProperty().get().title(),
                        vm.stepProperty(),
                        vm.stepIndexProperty()));
        Label formula = new Label();
        formula.setId("walk-formula");
        formula.getStyleClass().add("walk-formula");
        formula.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> vm.stepProperty().get() == null
                                ? ""
                                : vm.stepProperty().get().formula(),
                        vm.stepProperty()));
        Label note = new Label();
        note.setId("walk-note");
        note.getStyleClass().add("walk-note");
        note.setWrapText(true);
        note.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> vm.stepProperty().get() == null
                                ? ""
                                : vm.stepProperty().get().note(),
                        vm.stepProperty()));
        Label message = label("walk-message", "walk-message", vm.messageProperty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        VBox top = new VBox(4, header, variant, crumbs, title, formula, note, message);
        top.setPadding(new Insets(8, 10, 4, 10));
        canvas.setId("walk-canvas");
        canvas.stepProperty().bind(vm.stepProperty());
        canvas.paletteProperty().bind(Palette.binding(workspace.paletteProperty()));
        root.setTop(top);
        root.setCenter(canvas);
        BorderPane.setMargin(canvas, new Insets(4, 10, 4, 10));
        root.setBottom(buttons());
        vm.stepsProperty().addListener((obs, o, n) -> fillCrumbs());
        vm.stepIndexProperty().addListener((obs, o, n) -> fillCrumbs());
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        root.setOnMouseClicked(e -> root.requestFocus());
        root.sceneProperty().addListener((obs, o, scene) -> {
            if (scene != null) {
                watchRoot(scene.getRoot());
            }
        });
    }

    /** Follows the window's theme and presentation mode (style classes on the scene's root). */
    private void watchRoot(Parent sceneRoot) {
        Runnable read = () -> {
            canvas.lightProperty().set(sceneRoot.getStyleClass().contains("theme-light"));
            canvas.presentingProperty().set(sceneRoot.getStyleClass().contains("presentation"));
        };
        sceneRoot.getStyleClass().addListener((ListChangeListener<String>) c -> read.run());
        read.run();
    }

    private void key(KeyEvent e) {
        if (e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        switch (e.getCode()) {
            case RIGHT -> vm.nextStep();
            case LEFT -> vm.previousStep();
            case UP -> vm.previousLayer();
            case DOWN -> vm.nextLayer();
            case PAGE_UP -> vm.previousToken();
            case PAGE_DOWN -> vm.nextToken();
            case HOME -> vm.firstStep();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private HBox buttons() {
        Button prev = button("walk-prev", "◀ Step (←)", vm::previousStep);
        Button next = button("walk-next", "Step ▶ (→)", vm::nextStep);
        Button up = button("walk-layer-up", "▲ Layer (↑)", vm::previousLayer);
        Button down = button("walk-layer-down", "▼ Layer (↓)", vm::nextLayer);
        Button before = button("walk-token-prev", "◀ Token (PgUp)", vm::previousToken);
        Button after = button("walk-token-next", "Token ▶ (PgDn)", vm::nextToken);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, prev, next, spacer, up, down, before, after);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 8, 10));
        bar.getStyleClass().add("walk-buttons");
        return bar;
    }

    private void fillCrumbs() {
        crumbs.getChildren().clear();
        List<WalkStep> steps = vm.stepsProperty().get();
        for (int i = 0; i < steps.size(); i++) {
            int index = i;
            Label crumb = new Label((i + 1) + " " + steps.get(i).title());
            crumb.getStyleClass().add(i == vm.stepIndexProperty().get() ? "walk-crumb-current" : "walk-crumb");
            if (steps.get(i).needsWeights()) {
                crumb.getStyleClass().add("walk-crumb-missing");
            }
            crumb.setOnMouseClicked(e -> vm.selectStep(steps.get(index).kind()));
            crumbs.getChildren().add(crumb);
        }
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setFocusTraversable(false);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static Label label(String id, String style, javafx.beans.value.ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add(style);
        l.textProperty().bind(text);
        l.setWrapText(true);
        return l;
    }

    public StepCanvas canvas() {
        return canvas;
    }

    @Override
    public String name() {
        return "walk";
    }

    @Override
    public String title() {
        return "Walkthrough";
    }

    @Override
    public Node root() {
        return root;
    }
}
