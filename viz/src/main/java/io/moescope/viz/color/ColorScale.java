package io.moescope.viz.color;

/**
 * Maps a position {@code t} in [0, 1] to a packed 0xAARRGGBB colour. Implementations are immutable,
 * thread-safe and cheap to call once per cell. Values outside [0, 1] are clamped; NaN maps to fully
 * transparent so that missing cells show the background.
 */
@FunctionalInterface
public interface ColorScale {

    /** The colour at {@code t}, as 0xAARRGGBB. */
    int argb(double t);

    /** The same scale running from 1 to 0. */
    default ColorScale reversed() {
        ColorScale self = this;
        return t -> self.argb(Double.isNaN(t) ? t : 1.0 - t);
    }

    /**
     * A scale through evenly spaced opaque colours, interpolated linearly in sRGB.
     *
     * @param rgbStops at least two colours as 0xRRGGBB (alpha is ignored and set opaque)
     */
    static ColorScale ramp(int... rgbStops) {
        return new StopRamp(rgbStops);
    }
}
