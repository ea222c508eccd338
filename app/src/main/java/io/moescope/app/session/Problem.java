package io.moescope.app.session;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure as the user sees it: what failed ({@code title}), the engine's one-line message with the file
 * shortened to its name ({@code headline}, e.g. "config.json: num_experts_per_tok 8 exceeds the 4 routed
 * experts"), the file it concerns (full path, or null) and the details for a bug report (cause chain and stack
 * trace, or "" when there is no exception). Plain data; the window decides how to show it.
 *
 * @param message the engine's message as it came, file path included (what a log line shows)
 */
public record Problem(String title, String message, String headline, Path file, String details) {

    /** "path: problem" or "path:line: problem", the shape of every engine message that names a file. */
    private static final Pattern FILE_PREFIX = Pattern.compile("^(.+?)(:\\d+)?: (.*)$", Pattern.DOTALL);

    public Problem {
        Objects.requireNonNull(title);
        message = message == null || message.isBlank() ? "(no message)" : message;
        headline = headline == null ? message : headline;
        details = details == null ? "" : details;
    }

    /** A problem with no exception behind it ("Nothing to run"). */
    public static Problem of(String title, String message) {
        return of(title, message, null, null);
    }

    /**
     * A failure while working on {@code file} (may be null): the message is {@link EngineService#describe}; when
     * it starts with a path (the given file, one inside it, or any absolute path) that path becomes the
     * problem's file and the headline names only the file.
     */
    public static Problem of(String title, Path file, Throwable failure) {
        return of(title, EngineService.describe(failure), file, failure);
    }

    static Problem of(String title, String message, Path file, Throwable failure) {
        String text = message == null ? "" : message.strip();
        String headline = text;
        Path where = file;
        Matcher m = FILE_PREFIX.matcher(text);
        if (m.matches() && names(m.group(1), file)) {
            Path named = Path.of(m.group(1));
            where = named;
            Path name = named.getFileName();
            headline = (name == null ? named.toString() : name.toString()) + (m.group(2) == null ? "" : m.group(2))
                    + ": " + m.group(3);
        }
        return new Problem(title, text, headline, where, details(title, text, where, failure));
    }

    /** Whether the message's prefix is a path (not prose such as "cannot read or write a file"). */
    private static boolean names(String prefix, Path file) {
        if (prefix.indexOf('\n') >= 0) {
            return false;
        }
        try {
            Path p = Path.of(prefix);
            return p.isAbsolute() || file != null && p.startsWith(file);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String details(String title, String message, Path file, Throwable failure) {
        if (failure == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n').append(message).append('\n');
        if (file != null) {
            out.append("file: ").append(file.toAbsolutePath()).append('\n');
        }
        out.append('\n');
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t == failure ? "" : "caused by ").append(t.getClass().getName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
            out.append('\n');
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        out.append("\nstack trace (for a bug report):\n").append(trace);
        return out.toString();
    }
}
