package io.moescope.model.runtime;

import io.moescope.model.api.Intervention;

/**
 * One generation: prompt ids, how many tokens to add, how to sample, and an optional routing intervention.
 *
 * @param maxNewTokens 0 runs the prompt only (prefill)
 */
public record GenerationRequest(int[] promptIds, int maxNewTokens, SamplingParams sampling, Intervention intervention,
                                boolean stopAtEos, boolean allPrefillLogits) {

    public GenerationRequest {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max tokens must be ≥ 0, got " + maxNewTokens);
        }
        promptIds = promptIds.clone();
    }

    public static GenerationRequest of(int[] ids, int maxNewTokens, SamplingParams sampling) {
        return new GenerationRequest(ids, maxNewTokens, sampling, Intervention.NONE, true, false);
    }

    public GenerationRequest withIntervention(Intervention iv) {
        return new GenerationRequest(promptIds, maxNewTokens, sampling, iv, stopAtEos, allPrefillLogits);
    }

    public GenerationRequest withAllPrefillLogits(boolean all) {
        return new GenerationRequest(promptIds, maxNewTokens, sampling, intervention, stopAtEos, all);
    }
}
