package io.moescope.model.recording;

/**
 * Where a long import reports to, from the importing thread: how far it is, and whether to stop. A stopped import
 * ends with a {@link java.util.concurrent.CancellationException} between tokens (or between records of counts).
 */
public interface ImportProgress {

    ImportProgress NONE = new ImportProgress() {
        @Override
        public void update(double fraction, long tokens) {}

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    /** {@code fraction} in [0, 1] of all files done (by file, then by record inside a dump); tokens so far. */
    void update(double fraction, long tokens);

    boolean cancelled();
}
