package io.moescope.model.runtime;

import io.moescope.model.api.Intervention;

/**
 * One generation: prompt ids, how many tokens to add, how to sample, and an optional routing intervention.
 *
 * @param maxNewTokens 0 runs the prompt only (prefill)
 * @param fromTemplate per prompt token, whether a chat template wrote it (not the user); empty for a plain-text
 *                     prompt. The trace marks those tokens ({@code TokenEmitted.fromTemplate}).
 */
public record GenerationRequest(
        int[] promptIds,
        int maxNewTokens,
        SamplingParams sampling,
        Intervention intervention,
        boolean stopAtEos,
        boolean allPrefillLogits,
        boolean[] fromTemplate) {

    private static final boolean[] NONE = new boolean[0];

    public GenerationRequest {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max tokens must be ≥ 0, got " + maxNewTokens);
        }
        if (fromTemplate.length != 0 && fromTemplate.length != promptIds.length) {
            throw new IllegalArgumentException(
                    promptIds.length + " prompt tokens but " + fromTemplate.length + " template flags");
        }
        promptIds = promptIds.clone();
        fromTemplate = fromTemplate.clone();
    }

    /** A request whose prompt is plain text (no template tokens). */
    public GenerationRequest(
            int[] promptIds,
            int maxNewTokens,
            SamplingParams sampling,
            Intervention intervention,
            boolean stopAtEos,
            boolean allPrefillLogits) {
        this(promptIds, maxNewTokens, sampling, intervention, stopAtEos, allPrefillLogits, NONE);
    }

    public static GenerationRequest of(int[] ids, int maxNewTokens, SamplingParams sampling) {
        return new GenerationRequest(ids, maxNewTokens, sampling, Intervention.NONE, true, false);
    }

    public GenerationRequest withIntervention(Intervention iv) {
        return new GenerationRequest(promptIds, maxNewTokens, sampling, iv, stopAtEos, allPrefillLogits, fromTemplate);
    }

    public GenerationRequest withAllPrefillLogits(boolean all) {
        return new GenerationRequest(promptIds, maxNewTokens, sampling, intervention, stopAtEos, all, fromTemplate);
    }

    /** The same request, stopping at an end-of-sequence token or not (then only max tokens or the context end it). */
    public GenerationRequest withStopAtEos(boolean stop) {
        return new GenerationRequest(
                promptIds, maxNewTokens, sampling, intervention, stop, allPrefillLogits, fromTemplate);
    }

    /** The same request with per-prompt-token template flags (a chat prompt); empty = plain text. */
    public GenerationRequest withTemplateTokens(boolean[] flags) {
        return new GenerationRequest(
                promptIds, maxNewTokens, sampling, intervention, stopAtEos, allPrefillLogits, flags);
    }

    /** Whether prompt token {@code position} came from a chat template. */
    public boolean templateToken(int position) {
        return position < fromTemplate.length && fromTemplate[position];
    }
}
