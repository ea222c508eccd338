package io.moescope.model.runtime;

/** Receives loading progress; called on the loading thread. */
public interface LoadProgress {

    LoadProgress NONE = (done, total, what) -> {};

    /** {@code done} of {@code total} steps finished; {@code what} names the current one. */
    void update(int done, int total, String what);
}
