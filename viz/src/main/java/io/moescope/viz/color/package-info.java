/**
 * Colour as pure functions: {@link io.moescope.viz.color.ColorScale} maps a number in [0, 1] to a
 * packed ARGB int, {@link io.moescope.viz.color.Palettes} names the sequential and diverging scales,
 * and {@link io.moescope.viz.color.CategoricalPalette} gives distinct colours for ids.
 *
 * <p>Belongs here: colour maths and palette data, unit-testable without a toolkit. Must not be here:
 * JavaFX types (nodes convert ARGB ints to {@code Color} themselves) or chart layout.
 */
package io.moescope.viz.color;
