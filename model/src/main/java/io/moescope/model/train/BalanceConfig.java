package io.moescope.model.train;

/**
 * Balance settings. alpha1: expert-level loss weight; alpha2: device-level loss weight over {@code devices} contiguous
 * groups of experts; gamma: aux-free bias step; seqAux: compute the aux losses per sequence (DeepSeek's {@code seq_aux})
 * instead of over the whole batch.
 */
public record BalanceConfig(BalanceMode mode, double alpha1, double alpha2, int devices, double gamma, boolean seqAux) {
    public BalanceConfig {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be ≥ 1");
        }
    }

    public static BalanceConfig none() {
        return new BalanceConfig(BalanceMode.NONE, 0, 0, 1, 0, false);
    }
}
