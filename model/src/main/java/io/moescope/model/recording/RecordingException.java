package io.moescope.model.recording;

import io.moescope.model.io.ModelLoadException;

/** A recording whose content contradicts itself or the model config; one line, the caller adds the file name. */
public final class RecordingException extends Exception {
    private static final long serialVersionUID = 1L;

    public RecordingException(String message) {
        super(ModelLoadException.oneLineExcerpt(message)); // quoted JSON errors keep their start and end
    }
}
