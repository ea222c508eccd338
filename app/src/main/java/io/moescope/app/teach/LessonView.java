package io.moescope.app.teach;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The lesson bar: title and step count, the note, previous / next / close. Hidden while no lesson is open. */
public final class LessonView {

    private final VBox root = new VBox(4);

    public LessonView(LessonPlayerViewModel vm) {
        root.setId("lesson");
        root.getStylesheets().add(Presentation.stylesheet());
        Label title = new Label();
        title.setId("lesson-progress");
        title.getStyleClass().add("lesson-title");
        title.textProperty().bind(vm.progressProperty());
        Label note = new Label();
        note.setId("lesson-note");
        note.getStyleClass().add("lesson-note");
        note.setWrapText(true);
        note.setMaxWidth(Double.MAX_VALUE);
        note.textProperty().bind(vm.noteProperty());
        Button prev = new Button("◀ Previous");
        prev.setId("lesson-prev");
        prev.setOnAction(e -> vm.previous());
        prev.disableProperty().bind(vm.indexProperty().lessThanOrEqualTo(0));
        Button next = new Button("Next ▶");
        next.setId("lesson-next");
        next.setOnAction(e -> vm.next());
        next.disableProperty()
                .bind(javafx.beans.binding.Bindings.createBooleanBinding(
                        () -> vm.lessonProperty().get() == null
                                || vm.indexProperty().get()
                                        >= vm.lessonProperty().get().steps().size() - 1,
                        vm.lessonProperty(),
                        vm.indexProperty()));
        Button close = new Button("Close lesson");
        close.setId("lesson-close");
        close.setOnAction(e -> vm.close());
        for (Button b : new Button[] {prev, next, close}) {
            b.setFocusTraversable(false);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, spacer, prev, next, close);
        bar.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(bar, note);
        root.setPadding(new Insets(6, 10, 6, 10));
        root.visibleProperty().bind(vm.lessonProperty().isNotNull());
        root.managedProperty().bind(root.visibleProperty());
    }

    public Node root() {
        return root;
    }
}
