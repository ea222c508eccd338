package io.moescope.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory a model needs in this engine, and what the machine has, so a too-large model is refused early. */
public final class MemoryEstimate {

    private MemoryEstimate() {}

    /** Bytes of available physical memory (MemAvailable), or the JVM's max heap if /proc is not readable. */
    public static long availableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the JVM's view
        }
        return Runtime.getRuntime().maxMemory();
    }

    public static String gb(long bytes) {
        if (bytes < 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
