package io.moescope.model.train;

/** Receives training progress; implementations print or display it. */
public interface ProgressListener {
    /** Called at every logged step. */
    void onStep(StepReport report);

    /** Free-form status lines (loading, checkpoint written, export finished). */
    default void onMessage(String message) {}

    /** A listener that prints one line per log step to stdout. */
    static ProgressListener console() {
        return new ProgressListener() {
            @Override
            public void onStep(StepReport r) {
                System.out.println(r.format());
            }

            @Override
            public void onMessage(String message) {
                System.out.println(message);
            }
        };
    }
}
