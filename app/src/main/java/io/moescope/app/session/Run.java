package io.moescope.app.session;

import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.Phase;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One generation (or one replayed trace): its bounded routing store, the request that produced it, the
 * generated text and speed figures. The store and counters are written by the inference thread and read from
 * the FX thread (volatile fields, synchronized text).
 */
public final class Run {

    private final String label;
    private final TraceStore store;
    private final GenerationRequest request; // null for a replayed trace
    private final StringBuilder generated = new StringBuilder();
    private volatile Path traceFile;
    private volatile long startNanos;
    private volatile long firstDecodeNanos;
    private volatile long lastDecodeNanos;
    private volatile int decodeTokens;
    private volatile int positions;

    public Run(String label, TraceStore store, GenerationRequest request) {
        this.label = Objects.requireNonNull(label, "label");
        this.store = Objects.requireNonNull(store, "store");
        this.request = request;
    }

    public String label() { return label; }
    public TraceStore store() { return store; }
    public GenerationRequest request() { return request; }
    public boolean isReplay() { return request == null; }

    /** The JSONL trace of this run (recorded while generating, or the replayed file), or null. */
    public Path traceFile() { return traceFile; }
    void setTraceFile(Path file) { traceFile = file; }

    /** Inference thread: call before the first token. */
    void started() {
        startNanos = System.nanoTime();
    }

    /** Records decoded text and timing; runs on the inference thread. */
    public TokenListener listener() {
        return (position, id, text, phase) -> {
            positions = position + 1;
            if (phase == Phase.DECODE) {
                long now = System.nanoTime();
                if (decodeTokens == 0) {
                    firstDecodeNanos = now;
                }
                lastDecodeNanos = now;
                decodeTokens++;
                synchronized (generated) {
                    generated.append(text);
                }
            }
        };
    }

    /** Replay: appends a token's text as if it had been generated. */
    void replayed(int position, String text, Phase phase) {
        positions = position + 1;
        if (phase == Phase.DECODE) {
            decodeTokens++;
            synchronized (generated) {
                generated.append(text);
            }
        }
    }

    public String generatedText() {
        synchronized (generated) {
            return generated.toString();
        }
    }

    public int decodeTokens() { return decodeTokens; }
    public int positions() { return positions; }

    /** Decode speed: tokens after the first over the time since the first; 0 until two tokens exist. */
    public double tokensPerSecond() {
        int n = decodeTokens;
        long span = lastDecodeNanos - firstDecodeNanos;
        return n < 2 || span <= 0 ? 0 : (n - 1) * 1e9 / span;
    }

    /** Seconds since the run started (0 for a replay). */
    public double elapsedSeconds() {
        return startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    }
}
