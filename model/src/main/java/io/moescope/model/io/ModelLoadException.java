package io.moescope.model.io;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A checkpoint, config or tokenizer that cannot be used. The message names the file and the problem in words a
 * user can act on; callers show it as it is (no stack trace).
 */
public class ModelLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    public ModelLoadException(String message) {
        super(oneLine(message));
    }

    public ModelLoadException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Text quoted from a file (a key, a tensor name, a library's error) may hold line breaks; messages never do. */
    private static String oneLine(String message) {
        return message == null ? null : LINE_BREAK.matcher(message).replaceAll("\\\\n");
    }

    /**
     * Longest problem text kept: a library's error can quote a whole token of the file (Jackson quotes up to 256
     * characters of an unrecognised one), which turns the sentence into a dump. Found by fuzzing (docs/reliability.md).
     */
    static final int MAX_PROBLEM = 240;

    /** "file: problem" with the file's name as the user gave it; a longer problem keeps its start and end. */
    public static ModelLoadException at(Path file, String problem) {
        // line breaks become "\n" first (two characters each), then the length is bounded: the other order let a
        // quoted key of line breaks double past it (fuzz finding 14)
        return new ModelLoadException(file + ": " + oneLineExcerpt(problem));
    }

    /**
     * {@code text} as one line of at most {@link #MAX_PROBLEM} characters (its start and end kept): how every error
     * message quotes what a user's file holds, e.g. the lesson reader's.
     */
    public static String oneLineExcerpt(String text) {
        return keepStartAndEnd(oneLine(text), MAX_PROBLEM);
    }

    /**
     * {@code text} if it has at most {@code max} characters, else its start and end around an ellipsis, {@code max}
     * characters in all: the rule for every message that quotes a user's file, also where the message is made
     * whole (the trace reader's, whose file name comes first).
     */
    public static String keepStartAndEnd(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int keep = (max - 1) / 2;
        return text.substring(0, keep) + "\u2026" + text.substring(text.length() - keep);
    }
}
