package io.moescope.app.session;

import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One generation (or one replayed trace): its bounded routing store, the request that produced it, the
 * generated text and speed figures. Everything it knows comes from the trace: feed {@link #sink()} (live or
 * replayed alike) and the text, position count and decode speed follow from the token events and their
 * timestamps. Written by the inference thread, read from the FX thread (volatile fields, synchronized text).
 */
public final class Run {

    private final String label;
    private final TraceStore store;
    private final GenerationRequest request; // null for a replayed trace
    private final String prompt; // the prompt's text, null if unknown
    private final StringBuilder generated = new StringBuilder();
    private final TraceSink sink;
    private volatile Path traceFile;
    private volatile long startNanos;
    private volatile long firstDecodeNanos = TokenEmitted.UNTIMED;
    private volatile long lastDecodeNanos = TokenEmitted.UNTIMED;
    private volatile int decodeTokens;
    private volatile int timedDecodeTokens;
    private volatile int positions;
    private volatile double engineTokensPerSecond;

    public Run(String label, TraceStore store, GenerationRequest request) {
        this(label, store, request, null);
    }

    /** @param prompt the text the prompt ids were made from, when there was one (kept for recovery) */
    public Run(String label, TraceStore store, GenerationRequest request, String prompt) {
        this.label = Objects.requireNonNull(label, "label");
        this.prompt = prompt;
        this.store = Objects.requireNonNull(store, "store");
        this.request = request;
        TraceSink tokens = new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(TraceEvent event) {
                record(event);
            }

            @Override
            public void acceptBlock(RoutingBlock block) { // an imported recording: untimed, no text
                positions = block.firstPosition() + block.tokens();
                if (block.phase() == Phase.DECODE) {
                    decodeTokens += block.tokens(); // single writer
                }
            }
        };
        this.sink = TraceSink.fanOut(java.util.List.of(store, tokens));
    }

    public String label() {
        return label;
    }

    public TraceStore store() {
        return store;
    }

    public GenerationRequest request() {
        return request;
    }

    public boolean isReplay() {
        return request == null;
    }
    /** The text the prompt was typed as, or null (a replay, or a caller that passed ids). */
    public String prompt() {
        return prompt;
    }

    /** The JSONL trace of this run (recorded while generating, or the replayed file), or null. */
    public Path traceFile() {
        return traceFile;
    }

    void setTraceFile(Path file) {
        traceFile = file;
    }

    /** Where the run's events go: its store, and its own token bookkeeping. One writer thread. */
    public TraceSink sink() {
        return sink;
    }

    /** Inference thread: call before the first token (for {@link #elapsedSeconds()}). */
    void started() {
        startNanos = System.nanoTime();
    }

    private void record(TraceEvent event) {
        if (!(event instanceof TokenEmitted t)) {
            return;
        }
        positions = t.position() + 1;
        if (t.phase() != Phase.DECODE) {
            return;
        }
        if (t.timed()) {
            if (timedDecodeTokens == 0) {
                firstDecodeNanos = t.elapsedNanos();
            }
            lastDecodeNanos = t.elapsedNanos();
            timedDecodeTokens++; // single writer
        }
        decodeTokens++;
        synchronized (generated) {
            generated.append(t.text());
        }
    }

    /** Inference thread: the generation ended; {@code decodeTokensPerSecond} is the engine's own figure. */
    void finished(double decodeTokensPerSecond) {
        engineTokensPerSecond = decodeTokensPerSecond;
    }

    /**
     * Decode speed as the engine timed it (forward passes only, the figure {@code bench} and the status bar report);
     * 0 until the generation has ended, and for a replay.
     */
    public double engineTokensPerSecond() {
        return engineTokensPerSecond;
    }

    public String generatedText() {
        synchronized (generated) {
            return generated.toString();
        }
    }

    public int decodeTokens() {
        return decodeTokens;
    }

    public int positions() {
        return positions;
    }

    /**
     * Decode speed from the trace's token times: tokens after the first over the time since the first; 0 until two
     * timed tokens exist (and for traces recorded before tokens carried a time).
     */
    public double tokensPerSecond() {
        int n = timedDecodeTokens;
        long span = lastDecodeNanos - firstDecodeNanos;
        return n < 2 || span <= 0 ? 0 : (n - 1) * 1e9 / span;
    }

    /** Seconds since the run started (0 for a replay). */
    public double elapsedSeconds() {
        return startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    }
}
