package io.moescope.model.config;

/**
 * Rotary position embedding settings from either {@code rope_theta}+{@code rope_scaling} or {@code rope_parameters}.
 *
 * @param type     "default", "linear", "yarn", ... ({@code type} or {@code rope_type})
 * @param factor   scaling factor s (1 when unscaled)
 * @param truncate YaRN: round the correction range to whole dimensions (floor/ceil; transformers' default, and
 *                 what DeepSeek does); gpt_oss sets {@code truncate: false} and blends at fractional bounds
 */
public record RopeConfig(
        double theta,
        String type,
        double factor,
        int originalMaxPositions,
        double betaFast,
        double betaSlow,
        double mscale,
        double mscaleAllDim,
        boolean truncate) {

    /** A setting with a truncated YaRN correction range. */
    public RopeConfig(
            double theta,
            String type,
            double factor,
            int originalMaxPositions,
            double betaFast,
            double betaSlow,
            double mscale,
            double mscaleAllDim) {
        this(theta, type, factor, originalMaxPositions, betaFast, betaSlow, mscale, mscaleAllDim, true);
    }

    public static RopeConfig plain(double theta) {
        return new RopeConfig(theta, "default", 1.0, 0, 32, 1, 0, 0);
    }

    /** The same setting with another scaling factor (Gemma 4's proportional RoPE divides its frequencies by it). */
    public RopeConfig withFactor(double f) {
        return new RopeConfig(theta, type, f, originalMaxPositions, betaFast, betaSlow, mscale, mscaleAllDim, truncate);
    }

    public boolean isYarn() {
        return "yarn".equals(type);
    }
}
