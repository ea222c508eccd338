package io.moescope.model.trace;

/** A trace file that is not valid moescope-trace JSON Lines; the message (one line) names the file and line. */
public class TraceFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) {
        super(message.replaceAll("\\R", "\\\\n")); // text quoted from the file never breaks the one line
    }
}
