package io.moescope.model.diagnosis;

/**
 * What the accumulator computes besides the plain statistics.
 *
 * @param lossDevices     D for the device-level and communication losses and the device-limited what-if
 *                        (experts split contiguously); 0 = skip them
 * @param deviceLimit     M, devices a token may reach under device-limited routing (DeepSeek-V2: 3)
 * @param capacityFactors capacity factors C for the token-dropping what-if
 * @param windows         rolling windows in tokens (e.g. 10, 100, 1000)
 * @param auxLossAlpha    the config's expert-level coefficient (aux_loss_alpha), NaN if unknown
 */
public record DiagnosisOptions(
        int lossDevices, int deviceLimit, double[] capacityFactors, int[] windows, double auxLossAlpha) {

    public static final double[] DEFAULT_CAPACITY_FACTORS = {1.0, 1.25, 1.5, 2.0};
    public static final int[] DEFAULT_WINDOWS = {10, 100, 1000};

    public DiagnosisOptions {
        capacityFactors = capacityFactors.clone();
        windows = windows.clone();
        for (int w : windows) {
            if (w <= 0) {
                throw new IllegalArgumentException("a rolling window must be ≥ 1 token, got " + w);
            }
        }
    }

    /** Defaults: no device split, M = 3, C ∈ {1, 1.25, 1.5, 2}, windows 10/100/1000, α unknown. */
    public static DiagnosisOptions defaults() {
        return new DiagnosisOptions(0, 3, DEFAULT_CAPACITY_FACTORS, DEFAULT_WINDOWS, Double.NaN);
    }

    public DiagnosisOptions withLossDevices(int devices) {
        return new DiagnosisOptions(devices, deviceLimit, capacityFactors, windows, auxLossAlpha);
    }

    @Override
    public double[] capacityFactors() {
        return capacityFactors.clone();
    }

    @Override
    public int[] windows() {
        return windows.clone();
    }

    int maxWindow() {
        int m = 0;
        for (int w : windows) {
            m = Math.max(m, w);
        }
        return m;
    }
}
