package io.moescope.viz.color;

import java.util.Arrays;

/**
 * Distinct colours for ids (for example colouring tokens by expert). The first seven are Okabe-Ito
 * (black left out so that it shows on dark themes), followed by Paul Tol's nine "muted" colours:
 * sixteen in all, after which ids wrap around. Immutable.
 */
public final class CategoricalPalette {

    private static final int[] OKABE_ITO_PLUS_TOL_MUTED = {
        0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7, // Okabe-Ito
        0x332288, 0x88ccee, 0x44aa99, 0x117733, 0x999933, 0xddcc77, 0xcc6677, 0x882255, 0xaa4499, // Tol
    };

    private final int[] colors; // opaque 0xAARRGGBB

    /** Okabe-Ito followed by Tol muted: 16 colours. */
    public CategoricalPalette() {
        this(OKABE_ITO_PLUS_TOL_MUTED);
    }

    /** A palette of your own colours, given as 0xRRGGBB. */
    public CategoricalPalette(int... rgb) {
        if (rgb.length == 0) {
            throw new IllegalArgumentException("a palette needs at least one colour");
        }
        colors = Arrays.stream(rgb).map(Argb::opaque).toArray();
    }

    /** How many distinct colours there are before ids wrap around. */
    public int size() {
        return colors.length;
    }

    /** The colour for an id (any int; negative ids wrap too), as 0xAARRGGBB. */
    public int argb(int id) {
        return colors[Math.floorMod(id, colors.length)];
    }
}
