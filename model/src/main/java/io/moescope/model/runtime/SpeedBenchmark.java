package io.moescope.model.runtime;

import io.moescope.model.tensor.BandwidthProbe;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prefill and decode speed with tracing off and on, the machine's streaming bandwidth, and the decode roofline
 * (tokens/s × active weight bytes per token ÷ bandwidth).
 */
public final class SpeedBenchmark {

    /** Figures of one run; printed as one JSON object by the CLI. */
    public record Result(
            String modelType,
            int promptTokens,
            int decodeTokens,
            double prefillTokensPerS,
            double decodeTokensPerS,
            double decodeTracedTokensPerS,
            double traceOverhead,
            double bandwidthGbPerS,
            long activeBytesPerToken,
            double rooflineFraction,
            String weights,
            double openSeconds,
            double firstTokenSeconds) {

        public String toJson() {
            return String.format(
                    Locale.ROOT,
                    "{\"model_type\":\"%s\",\"prompt_tokens\":%d,\"decode_tokens\":%d,"
                            + "\"prefill_tokens_per_s\":%.2f,\"decode_tokens_per_s\":%.2f,"
                            + "\"decode_traced_tokens_per_s\":%.2f,\"trace_overhead\":%.4f,\"bandwidth_gb_per_s\":%.2f,"
                            + "\"active_bytes_per_token\":%d,\"roofline_fraction\":%.4f,\"weights\":\"%s\","
                            + "\"open_s\":%.3f,\"time_to_first_token_s\":%.3f}",
                    modelType,
                    promptTokens,
                    decodeTokens,
                    prefillTokensPerS,
                    decodeTokensPerS,
                    decodeTracedTokensPerS,
                    traceOverhead,
                    bandwidthGbPerS,
                    activeBytesPerToken,
                    rooflineFraction,
                    weights,
                    openSeconds,
                    firstTokenSeconds);
        }
    }

    private final MoeModel model;
    private double openSeconds = Double.NaN;

    public SpeedBenchmark(MoeModel model) {
        this.model = model;
    }

    /** How long opening the model took (reported, and added to the first prefill for time to first token). */
    public SpeedBenchmark openSeconds(double seconds) {
        this.openSeconds = seconds;
        return this;
    }

    /** @param mode "on", "off" or "both" */
    public Result run(int decodeTokens, int promptTokens, String mode) throws Exception {
        return run(decodeTokens, promptTokens, mode, 2);
    }

    /**
     * @param mode   "on", "off" or "both"
     * @param rounds alternating rounds (off, on, off, on, ...); the best of each is kept, which cancels most of
     *               a shared host's noise
     */
    public Result run(int decodeTokens, int promptTokens, String mode, int rounds) throws Exception {
        if (decodeTokens < 2 || promptTokens < 1) {
            throw new IllegalArgumentException("bench needs at least 2 decode tokens and 1 prompt token");
        }
        if (!mode.equals("on") && !mode.equals("off") && !mode.equals("both")) {
            throw new IllegalArgumentException("--trace must be on, off or both, got '" + mode + "'");
        }
        int[] prompt = benchPrompt(model, promptTokens);
        Generator gen = new Generator(model);
        GenerationRequest req = new GenerationRequest(
                prompt, decodeTokens, SamplingParams.GREEDY, io.moescope.model.api.Intervention.NONE, false, false);
        GenerationResult first = gen.generate(
                GenerationRequest.of(prompt, 3, SamplingParams.GREEDY), TraceSink.DISABLED, TokenListener.NONE);
        double firstToken =
                (Double.isNaN(openSeconds) ? 0 : openSeconds) + promptTokens / first.prefillTokensPerSecond();
        // warm both paths up (JIT) before timing: a few decode tokens are not enough for the kernels to be compiled
        int warm = Math.min(decodeTokens, 64);
        gen.generate(GenerationRequest.of(prompt, warm, SamplingParams.GREEDY), TraceSink.DISABLED, TokenListener.NONE);
        gen.generate(GenerationRequest.of(prompt, warm, SamplingParams.GREEDY), new CountingSink(), TokenListener.NONE);
        double off = Double.NaN;
        double on = Double.NaN;
        double prefill = 0;
        for (int round = 0; round < Math.max(1, rounds); round++) {
            if (!mode.equals("on")) {
                GenerationResult r = gen.generate(req, TraceSink.DISABLED, TokenListener.NONE);
                off = Double.isNaN(off) ? r.decodeTokensPerSecond() : Math.max(off, r.decodeTokensPerSecond());
                prefill = Math.max(prefill, r.prefillTokensPerSecond());
            }
            if (!mode.equals("off")) {
                GenerationResult r = gen.generate(req, new CountingSink(), TokenListener.NONE);
                on = Double.isNaN(on) ? r.decodeTokensPerSecond() : Math.max(on, r.decodeTokensPerSecond());
                prefill = Math.max(prefill, r.prefillTokensPerSecond());
            }
        }
        double decode = Double.isNaN(off) ? on : off;
        double overhead = Double.isNaN(off) || Double.isNaN(on) ? Double.NaN : off / on - 1;
        double bw =
                BandwidthProbe.measureGbPerSecond(1L << 30, Runtime.getRuntime().availableProcessors(), 5);
        long active = model.transformer().activeBytesPerToken();
        double roofline = decode * active / (bw * 1e9);
        return new Result(
                model.config().family().modelType(),
                promptTokens,
                decodeTokens,
                prefill,
                decode,
                Double.isNaN(on) ? decode : on,
                overhead,
                bw,
                active,
                roofline,
                model.weightMode().name().toLowerCase(java.util.Locale.ROOT),
                openSeconds,
                firstToken);
    }

    /** The prompt every speed figure uses: {@code tokens} ids drawn from the model's vocabulary with seed 7. */
    public static int[] benchPrompt(MoeModel model, int tokens) {
        return new SplittableRandom(7)
                .ints(tokens, 0, model.config().vocabSize())
                .toArray();
    }

    /** An enabled sink that touches every event, as a live view would, without keeping them. */
    private static final class CountingSink implements TraceSink {
        private long events;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void accept(TraceEvent event) {
            events += event.sequenceId() > 0 ? 1 : 0;
        }
    }
}
