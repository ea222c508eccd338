package io.moescope.app.report;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most four times a second. */
final class ProgressBar {

    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long totalBytes;
    private final long maxTokens;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /** @param maxTokens token limit, or 0 when only the corpus size bounds the run */
    ProgressBar(PrintStream err, long totalBytes, long maxTokens) {
        this.err = err;
        this.totalBytes = Math.max(1, totalBytes);
        this.maxTokens = maxTokens;
    }

    void update(long tokens, long bytes, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 250_000_000L) {
            return;
        }
        lastDraw = now;
        double fraction = Math.min(1, (double) bytes / totalBytes);
        if (maxTokens > 0) {
            fraction = Math.max(fraction, Math.min(1, (double) tokens / maxTokens));
        }
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? tokens / seconds : 0;
        String eta = fraction > 0.01 && fraction < 1 ? "  ETA " + time(seconds * (1 - fraction) / fraction) : "";
        int filled = (int) Math.round(fraction * WIDTH);
        err.printf(
                "\r[%s%s] %3.0f%%  %,d tokens  %,.0f tok/s%s   ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, tokens, rate, eta);
        err.flush();
        drawn = true;
    }

    void finish(long tokens, long bytes) {
        update(tokens, bytes, true);
        if (drawn) {
            err.println();
        }
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
