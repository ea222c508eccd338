package io.moescope.model.trace;

import io.moescope.model.io.ModelLoadException;

/** A trace file that is not valid moescope-trace JSON Lines; the message (one line) names the file and line. */
public class TraceFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Longest message: "file:line: problem" where the problem may quote the file (Jackson quotes up to 256 characters
     * of an unrecognised token); longer ones keep their start (the file's name) and end. Found by fuzzing
     * (docs/reliability.md, finding 13).
     */
    static final int MAX_MESSAGE = 360;

    public TraceFormatException(String message) {
        // text quoted from the file never breaks the one line, nor makes the sentence a dump
        super(ModelLoadException.keepStartAndEnd(message.replaceAll("\\R", "\\\\n"), MAX_MESSAGE));
    }
}
