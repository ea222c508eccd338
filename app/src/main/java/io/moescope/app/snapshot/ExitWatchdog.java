package io.moescope.app.snapshot;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Ends a run that must end by itself (a {@code gui --snapshot}, a {@code --bench-pulse}) even when the FX thread, the
 * renderer, an engine thread or a shutdown hook is stuck: armed before the toolkit starts, it prints every thread's
 * stack to stderr (what was stuck, for the bug report) and halts the JVM — {@link Runtime#halt} runs no shutdown hook
 * and waits for no thread, so nothing can keep the process alive past the limit.
 *
 * <p>Two phases: the whole run gets {@code limit}; once the work is done and the process is exiting, {@link #exiting}
 * re-arms it with a short grace, after which it halts with the run's own exit code (so a PNG that was written still
 * reports success, and a hang in the shutdown is a visible "stuck while exiting" line, not a silent timeout).
 */
public final class ExitWatchdog {

    /** Exit code of a run that overran its limit. */
    public static final int TIMED_OUT = 3;

    private final String what;
    private final PrintStream err;
    private final Halt halt;
    private final RunProgress progress;
    private final Object lock = new Object();
    private long deadlineNanos;
    private int code = TIMED_OUT;
    private String phase = "timed out";

    /** How the process ends; {@code Runtime.getRuntime()::halt} outside tests. */
    @FunctionalInterface
    public interface Halt {
        void halt(int status);
    }

    ExitWatchdog(String what, Duration limit, PrintStream err, Halt halt, RunProgress progress) {
        this.what = what;
        this.err = err;
        this.halt = halt;
        this.progress = progress;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
        Thread t = new Thread(this::watch, "exit-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** Arms a watchdog for a run called {@code what} (e.g. "snapshot") that must finish within {@code limit}. */
    public static ExitWatchdog start(String what, Duration limit) {
        return new ExitWatchdog(what, limit, System.err, Runtime.getRuntime()::halt, RunProgress.global());
    }

    /** The work is done and the process is exiting with {@code exitCode}: halt with that code after {@code grace}. */
    public void exiting(int exitCode, Duration grace) {
        progress.phase("exit");
        synchronized (lock) {
            code = exitCode;
            phase = "was still running " + grace.toSeconds() + " s after its work ended (stuck while exiting)";
            deadlineNanos = System.nanoTime() + grace.toNanos();
            lock.notifyAll();
        }
    }

    private void watch() {
        synchronized (lock) {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        err.println("moescope: " + what + " " + phase + "; " + progress.line() + "; threads:");
        printThreads(err);
        err.flush();
        halt.halt(code);
    }

    /** Every live thread with its state and stack, like a jstack dump (the part a bug report needs). */
    static void printThreads(PrintStream out) {
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            out.println("\"" + t.getName() + "\"" + (t.isDaemon() ? " daemon" : "") + " " + t.getState());
            for (StackTraceElement frame : e.getValue()) {
                out.println("    at " + frame);
            }
        }
    }
}
