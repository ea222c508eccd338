package io.moescope.model.config;

/**
 * Rotary position embedding settings from either {@code rope_theta}+{@code rope_scaling} or {@code rope_parameters}.
 *
 * @param type     "default", "linear", "yarn", ... ({@code type} or {@code rope_type})
 * @param factor   scaling factor s (1 when unscaled)
 */
public record RopeConfig(double theta, String type, double factor, int originalMaxPositions, double betaFast,
                         double betaSlow, double mscale, double mscaleAllDim) {

    public static RopeConfig plain(double theta) {
        return new RopeConfig(theta, "default", 1.0, 0, 32, 1, 0, 0);
    }

    public boolean isYarn() {
        return "yarn".equals(type);
    }
}
