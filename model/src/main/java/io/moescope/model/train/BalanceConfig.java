package io.moescope.model.train;

/**
 * Balance settings. alpha1: expert-level loss weight; alpha2: device-level loss weight over {@code devices} contiguous
 * groups of experts; gamma: aux-free bias step; seqAux: compute the aux losses per sequence (DeepSeek's {@code seq_aux})
 * instead of over the whole batch; zLoss: weight of the router z-loss (ST-MoE) zLoss·mean_t(logsumexp_e z_te)², which
 * keeps router logits small and so the softmax over experts soft; it applies in every mode (0 = off).
 */
public record BalanceConfig(
        BalanceMode mode, double alpha1, double alpha2, int devices, double gamma, boolean seqAux, double zLoss) {
    public BalanceConfig {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be ≥ 1");
        }
        if (!(zLoss >= 0)) {
            throw new IllegalArgumentException("z-loss weight must be ≥ 0");
        }
    }

    /** Without router z-loss. */
    public BalanceConfig(BalanceMode mode, double alpha1, double alpha2, int devices, double gamma, boolean seqAux) {
        this(mode, alpha1, alpha2, devices, gamma, seqAux, 0);
    }

    public static BalanceConfig none() {
        return new BalanceConfig(BalanceMode.NONE, 0, 0, 1, 0, false);
    }
}
