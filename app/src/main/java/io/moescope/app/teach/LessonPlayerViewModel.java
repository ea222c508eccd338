package io.moescope.app.teach;

import io.moescope.app.session.Problems;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The lesson player: the open lesson, the step shown, its note, next / previous. A bad lesson file is one
 * reported line naming the file; the lesson that was open (if any) stays. UI thread.
 */
public final class LessonPlayerViewModel {

    private final LessonStage stage;
    private final Problems problems;
    private final ReadOnlyObjectWrapper<Lesson> lesson = new ReadOnlyObjectWrapper<>(this, "lesson");
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", -1);
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper(this, "progress", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private Path folder;

    public LessonPlayerViewModel(LessonStage stage, Problems problems) {
        this.stage = stage;
        this.problems = problems;
    }

    /** Opens a lesson file and shows its first step; false (and one reported line) if the file is bad. */
    public boolean open(Path file) {
        Lesson read;
        try {
            read = LessonReader.read(file);
        } catch (LessonReader.LessonException e) {
            problems.report("Cannot open the lesson", e.getMessage());
            return false;
        }
        folder = file.toAbsolutePath().getParent();
        lesson.set(read);
        go(0);
        return true;
    }

    public CompletableFuture<Void> next() {
        return go(index.get() + 1);
    }

    public CompletableFuture<Void> previous() {
        return go(index.get() - 1);
    }

    /** Shows step {@code i} (clamped to the lesson); completes when it is on screen. */
    public CompletableFuture<Void> go(int i) {
        Lesson l = lesson.get();
        if (l == null) {
            return CompletableFuture.completedFuture(null);
        }
        int to = Math.max(0, Math.min(l.steps().size() - 1, i));
        index.set(to);
        Lesson.State s = l.state(to);
        note.set(s.note());
        progress.set(l.title() + "  ·  step " + (to + 1) + " of " + l.steps().size());
        busy.set(true);
        return pending = stage.show(l, folder, s).whenComplete((v, failure) -> busy.set(false));
    }

    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    /** The step being shown, once it is on screen. */
    public CompletableFuture<Void> pending() {
        return pending;
    }

    public void close() {
        lesson.set(null);
        index.set(-1);
        note.set("");
        progress.set("");
    }

    public ReadOnlyObjectProperty<Lesson> lessonProperty() {
        return lesson.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
