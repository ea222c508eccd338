package io.moescope.viz.color;

/** A {@link ColorScale} through evenly spaced stops, precomputed into a 1024-entry lookup table. */
final class StopRamp implements ColorScale {

    private static final int STEPS = 1024;
    private final int[] table = new int[STEPS]; // [step] -> 0xAARRGGBB

    StopRamp(int[] rgbStops) {
        if (rgbStops == null || rgbStops.length < 2) {
            throw new IllegalArgumentException("a ramp needs at least two colours");
        }
        int segments = rgbStops.length - 1;
        for (int i = 0; i < STEPS; i++) {
            double position = (double) i / (STEPS - 1) * segments;
            int segment = Math.min(segments - 1, (int) position);
            table[i] = Argb.lerp(rgbStops[segment], rgbStops[segment + 1], position - segment);
        }
    }

    @Override
    public int argb(double t) {
        if (Double.isNaN(t)) {
            return 0;
        }
        double clamped = t < 0 ? 0 : (t > 1 ? 1 : t);
        return table[(int) Math.round(clamped * (STEPS - 1))];
    }
}
