package io.moescope.model.io;

import java.nio.file.Path;

/**
 * A checkpoint, config or tokenizer that cannot be used. The message names the file and the problem in words a
 * user can act on; callers show it as it is (no stack trace).
 */
public class ModelLoadException extends Exception {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file: problem" with the file's name as the user gave it. */
    public static ModelLoadException at(Path file, String problem) {
        return new ModelLoadException(file + ": " + problem);
    }
}
