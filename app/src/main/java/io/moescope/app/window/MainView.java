package io.moescope.app.window;

import io.moescope.app.view.ChartView;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The explorer window's layout: menu, toolbar and dashboard on top; prompt and transcript on the left; the
 * chart tabs in the middle; the token inspector on the right; status and load progress at the bottom.
 */
public final class MainView {

    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final Actions actions;
    private final Explorer explorer;
    private final TeachActions teach;

    /** The stylesheet of the application window (after viz.css). */
    public static String stylesheet() {
        return java.util.Objects.requireNonNull(MainView.class.getResource("/io/moescope/app/app.css"))
                .toExternalForm();
    }

    public MainView(Explorer explorer, Supplier<Window> window, ErrorDialogs dialogs, WindowPrefs prefs) {
        this.explorer = explorer;
        root.setId("main");
        root.getStyleClass().add("explorer");
        for (ChartView view : explorer.tabs()) {
            Tab tab = new Tab(view.title());
            tab.setId("tab-" + view.name());
            tab.setClosable(false);
            tab.setUserData(view);
            tabs.getTabs().add(tab);
        }
        // A tab's content joins the scene when the tab is first shown: the window's first CSS and layout pass (and
        // every pulse's bounds pass) then covers one chart instead of five.
        attach(tabs.getSelectionModel().getSelectedItem());
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, o, tab) -> attach(tab));
        bindActive(explorer.diagnosis.activeProperty(), explorer.diagnosisView);
        bindActive(explorer.gate.activeProperty(), explorer.gateView);
        bindActive(explorer.load.activeProperty(), explorer.loadView);
        bindActive(explorer.shared.activeProperty(), explorer.sharedView);
        bindActive(explorer.compare.activeProperty(), explorer.compareView);
        bindActive(explorer.walkthrough.activeProperty(), explorer.walkthroughView);
        bindActive(explorer.granularity.activeProperty(), explorer.granularityView);
        actions = new Actions(explorer, window, dialogs, this::currentView, prefs);
        teach = new TeachActions(explorer, this, root, tabs, window);
        explorer.selectView = this::select;
        explorer.prompt
                .keepTailProperty()
                .set(e -> dialogs.confirm(
                        "The prompt is longer than the model's context",
                        "It has " + e.tokens() + " tokens; this model reads at most " + e.limit() + " positions.\n"
                                + "Run its last part (the first token and the latest " + (e.limit() - 1)
                                + " tokens)?"));
        VBox top = new VBox(MainMenu.build(actions, teach, tabs), toolbar(), explorer.dashboardView);
        SplitPane left = new SplitPane(explorer.promptView, explorer.transcriptView.root());
        left.setOrientation(Orientation.VERTICAL);
        left.setDividerPositions(0.34);
        SplitPane center = new SplitPane(left, new StackPane(tabs, emptyState()), explorer.inspectorView.root());
        center.setDividerPositions(0.24, 0.72);
        root.setTop(top);
        root.setCenter(center);
        root.setBottom(new VBox(explorer.lessonView.root(), statusBar()));
        explorer.promptView.promptArea().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                actions.generate();
                e.consume();
            }
        });
    }

    private ToolBar toolbar() {
        Button open = button("Open model…", "mdi2f-folder-open", actions::openModel);
        Button trace = button("Open trace…", "mdi2f-file-chart", actions::openTrace);
        Label source = new Label();
        source.getStyleClass().add("source");
        source.textProperty().bind(explorer.engine.sourceProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(open, trace, new Label("Layer"), new LayerChooser(explorer), spacer, source);
    }

    private static Button button(String text, String icon, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setOnAction(e -> action.run());
        return b;
    }

    /** The call to action while no model and no trace is open. */
    private VBox emptyState() {
        Label title = new Label("No model open");
        title.getStyleClass().add("empty-title");
        Label text = new Label("Open a Hugging Face MoE checkpoint directory, or replay a saved trace.");
        Button open = button("Open model…", "mdi2f-folder-open", actions::openModel);
        open.setId("empty-open-model");
        Button trace = button("Open trace…", "mdi2f-file-chart", actions::openTrace);
        VBox box = new VBox(12, title, text, new HBox(8, open, trace));
        box.setAlignment(Pos.CENTER);
        ((HBox) box.getChildren().get(2)).setAlignment(Pos.CENTER);
        box.setId("empty-state");
        box.getStyleClass().add("empty-state");
        // the balancing demo needs no model: its tab is never covered
        box.visibleProperty()
                .bind(explorer.engine
                        .modelProperty()
                        .isNull()
                        .and(explorer.workspace.primaryProperty().isNull())
                        .and(explorer.engine.loadingProperty().not())
                        .and(Bindings.createBooleanBinding(
                                () -> tabs.getSelectionModel().getSelectedItem() == null
                                        || tabs.getSelectionModel()
                                                        .getSelectedItem()
                                                        .getUserData()
                                                != explorer.balanceView,
                                tabs.getSelectionModel().selectedItemProperty())));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(explorer.engine.statusProperty());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(explorer.engine.progressProperty());
        progress.visibleProperty().bind(explorer.engine.loadingProperty());
        Button cancel = new Button("Cancel");
        cancel.visibleProperty().bind(explorer.engine.loadingProperty());
        cancel.setOnAction(e -> explorer.engine.cancelLoad());
        Label memory = new Label();
        memory.textProperty()
                .bind(Bindings.format(
                        "trace %.2f MB (%s)",
                        explorer.dashboard.memoryMbProperty(), explorer.dashboard.memoryNoteProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, status, progress, cancel, spacer, memory);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(3, 8, 3, 8));
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    /** The selected tab's view. */
    public ChartView currentView() {
        int i = Math.max(0, tabs.getSelectionModel().getSelectedIndex());
        return explorer.tabs().get(i);
    }

    /** Selects the tab of a view by name; false if there is no such tab. */
    public boolean select(String name) {
        for (int i = 0; i < explorer.tabs().size(); i++) {
            if (explorer.tabs().get(i).name().equals(name)) {
                tabs.getSelectionModel().select(i);
                return true;
            }
        }
        return false;
    }

    public Parent root() {
        return root;
    }

    public Actions actions() {
        return actions;
    }

    public TeachActions teach() {
        return teach;
    }

    public TabPane tabs() {
        return tabs;
    }

    /** Refresh a tab's view model only while that tab is selected (it catches up when shown). */
    private void bindActive(javafx.beans.property.BooleanProperty active, ChartView view) {
        active.bind(Bindings.createBooleanBinding(
                () -> tabs.getSelectionModel().getSelectedItem() != null
                        && tabs.getSelectionModel().getSelectedItem().getUserData() == view,
                tabs.getSelectionModel().selectedItemProperty()));
    }

    private static void attach(Tab tab) {
        if (tab != null && tab.getContent() == null && tab.getUserData() instanceof ChartView view) {
            tab.setContent(view.root());
        }
    }
}
