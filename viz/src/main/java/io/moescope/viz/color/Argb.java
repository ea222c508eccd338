package io.moescope.viz.color;

/** Small helpers for packed 0xAARRGGBB colours. */
public final class Argb {

    private Argb() {}

    /** Opaque colour from 0xRRGGBB. */
    public static int opaque(int rgb) {
        return 0xFF000000 | (rgb & 0xFFFFFF);
    }

    public static int red(int argb) {
        return (argb >>> 16) & 0xFF;
    }

    public static int green(int argb) {
        return (argb >>> 8) & 0xFF;
    }

    public static int blue(int argb) {
        return argb & 0xFF;
    }

    public static int alpha(int argb) {
        return argb >>> 24;
    }

    /** Opaque linear mix of two RGB colours: {@code f = 0} gives {@code from}, {@code f = 1} gives {@code to}. */
    public static int lerp(int from, int to, double f) {
        int r = (int) Math.round(red(from) + (red(to) - red(from)) * f);
        int g = (int) Math.round(green(from) + (green(to) - green(from)) * f);
        int b = (int) Math.round(blue(from) + (blue(to) - blue(from)) * f);
        return 0xFF000000 | (r << 16) | (g << 8) | b;
    }

    /** WCAG relative luminance in [0, 1]. */
    public static double relativeLuminance(int argb) {
        return 0.2126 * linear(red(argb)) + 0.7152 * linear(green(argb)) + 0.0722 * linear(blue(argb));
    }

    /** "#rrggbb", ignoring alpha. */
    public static String hex(int argb) {
        return String.format("#%06x", argb & 0xFFFFFF);
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
