package io.moescope.app.recovery;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A run that a window which closed unexpectedly (a crash, a kill, a power cut) was recording, and what of it can
 * be restored.
 *
 * @param trace   its recovery file, in the dead session's folder
 * @param label   the run's name in that window ("run 3")
 * @param prompt  its prompt, as typed (or as the trace's prompt tokens, when the run did not keep the text)
 * @param started when it started
 * @param salvage the sound part of the file
 */
public record RecoveredRun(Path trace, String label, String prompt, Instant started, Salvage salvage) {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    public RecoveredRun {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(salvage, "salvage");
    }

    /** The name a restored run gets in the window. */
    public String restoredLabel() {
        return "recovered " + label + " (" + WHEN.format(started) + ")";
    }

    /** One line for the restore dialog: "run 3, started 2026-12-01 20:14: 12 prompt + 40 generated tokens". */
    public String describe() {
        return label + ", started " + WHEN.format(started) + ": " + (salvage.positions() - salvage.generated())
                + " prompt + " + salvage.generated() + " generated tokens";
    }
}
