package io.moescope.app.window;

import io.moescope.app.session.AppPaths;
import io.moescope.app.session.Workspace;
import io.moescope.app.teach.Presentation;
import java.io.File;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The Teach menu's commands: walk through the selected token, open a lesson, the balancing demo, presentation
 * mode (F5).
 */
public final class TeachActions {

    private final Explorer explorer;
    private final MainView main;
    private final Supplier<Window> window;
    private final Presentation presentation;

    TeachActions(Explorer explorer, MainView main, BorderPane root, TabPane tabs, Supplier<Window> window) {
        this.explorer = explorer;
        this.main = main;
        this.window = window;
        this.presentation = new Presentation(root, tabs, explorer.lessonView.root());
    }

    /** Shows the walkthrough of the selected token (else the first generated one) in the toolbar's layer. */
    public void walkThrough() {
        main.select(explorer.walkthroughView.name());
        int layer = explorer.workspace.layerProperty().get();
        int position = explorer.workspace.selectedPositionProperty().get();
        explorer.walkthrough.show(
                position >= 0
                        ? position
                        : explorer.walkthrough.positionProperty().get(),
                layer == Workspace.ALL_LAYERS
                        ? explorer.walkthrough.moeLayerProperty().get()
                        : layer);
        explorer.walkthroughView.root().requestFocus();
    }

    /** Shows the fine-grained vs coarse comparison on the current prompt. */
    public void fineVsCoarse() {
        main.select(explorer.granularityView.name());
    }

    public void openLesson() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a lesson");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("MoE Scope lessons (*.json)", "*.json"));
        File lessons = AppPaths.home().resolve("resources/lessons").toFile();
        if (lessons.isDirectory()) {
            chooser.setInitialDirectory(lessons);
        }
        File file = chooser.showOpenDialog(window.get());
        if (file != null) {
            openLesson(file.toPath());
        }
    }

    /** Opens a lesson file (a bad one is reported in one line; the window stays as it was). */
    public boolean openLesson(Path file) {
        return explorer.lessons.open(file);
    }

    /** Shows the balancing demo (Teach → Load balancing); it starts when the user presses Start. */
    public void loadBalancing() {
        main.select(explorer.balanceView.name());
    }

    public void togglePresentation() {
        presentation.toggle();
    }

    public Presentation presentation() {
        return presentation;
    }
}
