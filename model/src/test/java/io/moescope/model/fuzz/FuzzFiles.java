package io.moescope.model.fuzz;

import io.moescope.testkit.ErrorMessages;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * What every parser fuzz test shares: the fuzz input goes to a file (in memory, {@link ScratchDir}) as the file the parser reads (the parsers take
 * paths, as the app does), and a rejection must be the clear one-line error naming that file — anything else
 * (another exception type, a stack-trace-sized message, an error that does not say which file) is a finding.
 */
final class FuzzFiles {

    private FuzzFiles() {}

    /** Writes {@code bytes} to {@code file}, replacing what the previous execution left there. */
    static void write(Path file, byte[] bytes) {
        ScratchDir.write(file, bytes);
    }

    /**
     * The rejection of {@code file} was a user-facing error: one line (no line terminator of any kind, so text quoted
     * from the file cannot break it either) that starts with the file's path.
     */
    static void assertCleanRejection(Exception rejection, Path file) {
        ErrorMessages.assertNamesFile(rejection.getMessage(), file.toString());
    }
}
