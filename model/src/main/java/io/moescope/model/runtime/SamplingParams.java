package io.moescope.model.runtime;

/**
 * How the next token is chosen. temperature 0 means greedy (argmax, lower id on ties).
 *
 * @param topK  keep only the k most likely tokens (0 = all)
 * @param topP  keep the smallest set whose probability reaches p (1 = all)
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {

    public static final SamplingParams GREEDY = new SamplingParams(0, 0, 1, 0);

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be ≥ 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
