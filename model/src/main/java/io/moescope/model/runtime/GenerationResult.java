package io.moescope.model.runtime;

import io.moescope.model.trace.StopReason;

/**
 * What a generation produced.
 *
 * @param ids          prompt followed by generated ids
 * @param promptLength number of prompt ids at the start of ids
 * @param text         decoded generated text
 * @param stopReason   why generation stopped
 * @param lastLogits   the next-token logits after the last fed position
 */
public record GenerationResult(
        int[] ids,
        int promptLength,
        String text,
        StopReason stopReason,
        long prefillNanos,
        long decodeNanos,
        float[] lastLogits) {

    public int generatedCount() {
        return ids.length - promptLength;
    }

    public int[] generatedIds() {
        return java.util.Arrays.copyOfRange(ids, promptLength, ids.length);
    }

    public double prefillTokensPerSecond() {
        return prefillNanos <= 0 ? 0 : promptLength * 1e9 / prefillNanos;
    }

    /** Decode speed over the tokens fed in decode steps (each generated token except the last is fed). */
    public double decodeTokensPerSecond() {
        int fed = Math.max(0, generatedCount() - 1);
        return decodeNanos <= 0 || fed == 0 ? 0 : fed * 1e9 / decodeNanos;
    }
}
