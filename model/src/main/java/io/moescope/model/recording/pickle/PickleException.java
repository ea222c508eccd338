package io.moescope.model.recording.pickle;

/** Why a pickle, torch archive or numpy file was refused; one line, no file name (the caller adds it). */
public final class PickleException extends Exception {
    private static final long serialVersionUID = 1L;

    public PickleException(String message) {
        super(message);
    }
}
