package io.moescope.app.snapshot;

import io.moescope.app.session.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where a run that must end by itself has got to: the phases it went through with the time each took, and the
 * generation under way (tokens so far, read from the {@link Run}'s volatile counters, which the inference thread
 * writes). The {@link ExitWatchdog} prints it above its thread dump, so a run ended by the watchdog says where the
 * time went (a slow toolkit start, a model open, 3 of 24 tokens after 170 s) rather than only where it stood.
 *
 * <p>One per process ({@link #global()}), like the watchdog it feeds; any thread may call it.
 */
public final class RunProgress {

    private static final RunProgress GLOBAL = new RunProgress(System::nanoTime);

    private record Phase(String name, long startNanos) {}

    private final LongSupplier clock;
    private final List<Phase> phases = new ArrayList<>();
    private volatile Run run;
    private volatile int plannedTokens;

    RunProgress(LongSupplier clock) {
        this.clock = clock;
        phase("start-up");
    }

    /** The process's progress, which {@link ExitWatchdog#start} reports. */
    public static RunProgress global() {
        return GLOBAL;
    }

    /** The run enters {@code name} (the previous phase ends now). */
    public void phase(String name) {
        synchronized (phases) {
            phases.add(new Phase(name, clock.getAsLong()));
        }
    }

    /** The generation being watched, and how many tokens it was asked for. */
    public void generating(Run run, int plannedTokens) {
        this.plannedTokens = plannedTokens;
        this.run = run;
    }

    /** One line: "progress: start-up 2.1 s, open model 0.8 s, generate 176.0 s (current); generation: ...". */
    public String line() {
        long now = clock.getAsLong();
        StringBuilder b = new StringBuilder("progress:");
        synchronized (phases) {
            for (int i = 0; i < phases.size(); i++) {
                Phase p = phases.get(i);
                boolean current = i == phases.size() - 1;
                long end = current ? now : phases.get(i + 1).startNanos();
                b.append(i == 0 ? " " : ", ").append(p.name()).append(' ').append(seconds(end - p.startNanos()));
                if (current) {
                    b.append(" (current)");
                }
            }
        }
        Run r = run;
        if (r != null) {
            b.append("; generation '")
                    .append(r.label())
                    .append("': ")
                    .append(r.decodeTokens())
                    .append(" of ")
                    .append(plannedTokens)
                    .append(" tokens generated, ")
                    .append(r.positions())
                    .append(" positions, ")
                    .append(String.format(Locale.ROOT, "%.1f s", r.elapsedSeconds()))
                    .append(" since it started");
        }
        return b.toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
