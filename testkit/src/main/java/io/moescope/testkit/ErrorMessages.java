package io.moescope.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/**
 * The one oracle for "bad input gets a clear one-line error naming the file", shared by every module's bad-input and
 * fuzz tests: the message exists, has no line terminator of any kind (so text quoted from the file cannot break it
 * either), starts with the name of the file it is about, and is a sentence rather than a dump.
 */
public final class ErrorMessages {

    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    /** Longer than any message the app writes on purpose; a quoted file or a stack trace is longer. */
    public static final int MAX_LENGTH = 400;

    private ErrorMessages() {}

    /** The message is one line (no \n, \r, U+2028, …). */
    public static void assertOneLine(String message) {
        assertNotNull(message, "an error needs a message");
        assertFalse(LINE_BREAK.matcher(message).find(), () -> "message must be one line: " + message);
    }

    /** One line, starting with {@code file} (a path or a file name with its separator, e.g. "lesson.json: "), short. */
    public static void assertNamesFile(String message, String file) {
        assertOneLine(message);
        assertTrue(message.startsWith(file), () -> "error must name " + file + ": " + message);
        assertTrue(message.length() < MAX_LENGTH, () -> "message is a sentence, not a dump: " + message);
    }
}
