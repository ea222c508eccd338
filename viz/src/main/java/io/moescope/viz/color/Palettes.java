package io.moescope.viz.color;

import java.util.List;
import java.util.Locale;

/**
 * Named colour scales. Sequential: {@link #viridis()}, {@link #cividis()}, {@link #magma()}
 * (dark to light, perceptually ordered, readable with colour-vision deficiencies). Diverging:
 * {@link #blueOrange()} for values centred on 0.5, and {@link #diverging(int, int, int)} for your own.
 *
 * <p>Stops are the published key colours of each map, sampled evenly (viridis, magma and cividis as
 * in matplotlib / viridisLite); between them the ramp interpolates in sRGB.
 */
public final class Palettes {

    /** Names accepted by {@link #byName(String)}. */
    public static final List<String> NAMES = List.of("viridis", "cividis", "magma", "blue-orange");

    private static final ColorScale VIRIDIS = ColorScale.ramp(
            0x440154, 0x482576, 0x414487, 0x35608d, 0x2a788e, 0x21908c, 0x22a884, 0x43bf71, 0x7ad151, 0xbbdf27,
            0xfde725);

    private static final ColorScale CIVIDIS = ColorScale.ramp(
            0x00204d, 0x00336f, 0x39486b, 0x575c6d, 0x707173, 0x8a8779, 0xa69d75, 0xc4b56c, 0xe4cf5b, 0xffea46);

    private static final ColorScale MAGMA = ColorScale.ramp(
            0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779, 0xde4968, 0xf7705c, 0xfe9f6d, 0xfecf92,
            0xfcfdbf);

    // Blue - near white - orange: distinguishable for deuteranopia/protanopia (no red-green axis).
    private static final ColorScale BLUE_ORANGE =
            ColorScale.ramp(0x1b4f8f, 0x4b87c5, 0x9cc3e4, 0xf4f4f4, 0xfdc38d, 0xe8822e, 0xb35806);

    private Palettes() {}

    public static ColorScale viridis() {
        return VIRIDIS;
    }

    public static ColorScale cividis() {
        return CIVIDIS;
    }

    public static ColorScale magma() {
        return MAGMA;
    }

    /** Diverging blue (0) - white (0.5) - orange (1), colour-blind safe. */
    public static ColorScale blueOrange() {
        return BLUE_ORANGE;
    }

    /** A diverging scale: {@code low} at 0, {@code mid} at 0.5, {@code high} at 1 (all 0xRRGGBB). */
    public static ColorScale diverging(int low, int mid, int high) {
        return ColorScale.ramp(low, mid, high);
    }

    /**
     * The scale with this name (case-insensitive; see {@link #NAMES}). A "-reversed" suffix flips it.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ColorScale byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.endsWith("-reversed")) {
            return byName(key.substring(0, key.length() - "-reversed".length())).reversed();
        }
        switch (key) {
            case "viridis":
                return VIRIDIS;
            case "cividis":
                return CIVIDIS;
            case "magma":
                return MAGMA;
            case "blue-orange":
            case "diverging":
                return BLUE_ORANGE;
            default:
                throw new IllegalArgumentException("unknown palette '" + name + "', known: " + NAMES);
        }
    }
}
