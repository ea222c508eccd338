package io.moescope.viz.color;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PalettesTest {

    @Test
    void endpointsMatchPublishedColours() {
        assertEquals("#440154", Argb.hex(Palettes.viridis().argb(0)));
        assertEquals("#fde725", Argb.hex(Palettes.viridis().argb(1)));
        assertEquals("#00204d", Argb.hex(Palettes.cividis().argb(0)));
        assertEquals("#000004", Argb.hex(Palettes.magma().argb(0)));
        assertEquals("#fcfdbf", Argb.hex(Palettes.magma().argb(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"viridis", "cividis", "magma"})
    void sequentialScalesGetBrighterMonotonically(String name) {
        ColorScale scale = Palettes.byName(name);
        double previous = -1;
        for (int i = 0; i <= 100; i++) {
            double luminance = Argb.relativeLuminance(scale.argb(i / 100.0));
            assertTrue(luminance >= previous - 1e-3, name + " luminance drops at t=" + i / 100.0);
            previous = luminance;
        }
    }

    @Test
    void divergingIsLightestInTheMiddleAndSymmetricInLightness() {
        ColorScale scale = Palettes.blueOrange();
        double middle = Argb.relativeLuminance(scale.argb(0.5));
        assertTrue(middle > 0.85);
        for (int i = 0; i < 50; i++) {
            assertTrue(Argb.relativeLuminance(scale.argb(i / 100.0)) < middle);
            assertTrue(Argb.relativeLuminance(scale.argb(1 - i / 100.0)) < middle);
        }
        assertTrue(Argb.blue(scale.argb(0)) > Argb.red(scale.argb(0)));
        assertTrue(Argb.red(scale.argb(1)) > Argb.blue(scale.argb(1)));
        assertEquals(
                "#808080",
                Argb.hex(Palettes.diverging(0x000000, 0x808080, 0xffffff).argb(0.5)));
    }

    @Test
    void clampsAndMapsNanToTransparent() {
        ColorScale scale = Palettes.viridis();
        assertEquals(scale.argb(0), scale.argb(-3));
        assertEquals(scale.argb(1), scale.argb(7));
        assertEquals(0, scale.argb(Double.NaN));
        assertEquals(scale.argb(1), scale.reversed().argb(0));
    }

    @Test
    void byNameKnowsEveryNameAndRejectsOthers() {
        for (String name : Palettes.NAMES) {
            Palettes.byName(name);
        }
        assertSame(Palettes.magma(), Palettes.byName(" Magma "));
        assertEquals(
                Palettes.viridis().argb(0), Palettes.byName("viridis-reversed").argb(1));
        assertThrows(IllegalArgumentException.class, () -> Palettes.byName("jet"));
    }

    @Test
    void categoricalHasSixteenDistinctColoursAndWraps() {
        CategoricalPalette palette = new CategoricalPalette();
        assertEquals(16, palette.size());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < palette.size(); i++) {
            for (int j = 0; j < i; j++) {
                assertTrue(distance(palette.argb(i), palette.argb(j)) > 40, i + " vs " + j);
            }
            seen.add(palette.argb(i));
        }
        assertEquals(16, seen.size());
        assertEquals(palette.argb(0), palette.argb(16));
        assertEquals(palette.argb(15), palette.argb(-1));
    }

    private static double distance(int a, int b) {
        int dr = Argb.red(a) - Argb.red(b);
        int dg = Argb.green(a) - Argb.green(b);
        int db = Argb.blue(a) - Argb.blue(b);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
