package io.moescope.app.recording;

import io.moescope.model.recording.ImportProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures the window's import path (File → Import recording…: importer → joined sequence → trace store) on a
 * large recording: wall and CPU seconds, the process's peak RSS. Not a test; docs/benchmarks.md gives the command.
 * {@code ImportScale CONFIG FILE...}
 */
public final class ImportScale {

    private ImportScale() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        List<Path> files = java.util.Arrays.stream(args).skip(1).map(Path::of).toList();
        long t0 = System.nanoTime();
        long[] last = {0};
        RecordingRun.Imported in = RecordingRun.read(files, config, new ImportProgress() {
            @Override
            public void update(double fraction, long tokens) {
                long now = System.nanoTime();
                if (now - last[0] > 5_000_000_000L) {
                    last[0] = now;
                    System.err.printf(
                            Locale.ROOT, "%5.1f%%  %,d tokens  %.0f s%n", fraction * 100, tokens, (now - t0) / 1e9);
                }
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu =
                java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                                .getProcessCpuTime()
                        / 1e9;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .orElse("VmHWM: ?");
        System.out.printf(
                Locale.ROOT,
                "%,d tokens (%d positions kept of a %d-position store), %.1f s wall, %.1f s " + "CPU, %s%n",
                in.summary().tokens(),
                in.run().store().view().size(),
                in.run().store().capacity(),
                wall,
                cpu,
                hwm.replaceAll("\\s+", " "));
    }
}
