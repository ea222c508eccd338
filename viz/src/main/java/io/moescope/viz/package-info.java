/**
 * MoE Scope's reusable chart library: JavaFX heatmaps, legends and bar charts over neutral data.
 * This package holds only {@link io.moescope.viz.VizTheme} (stylesheet and theme classes).
 *
 * <p>Sub-packages: {@code data} (immutable inputs, no JavaFX), {@code color} (scales and palettes,
 * no JavaFX), {@code heatmap} and {@code bars} (nodes, FX thread only), {@code fx} (coalescing and
 * pulse measurement), {@code export} (PNG and SVG files). Nothing here may depend on the engine
 * ({@code io.moescope.model}): the app translates engine traces into these data types.
 */
package io.moescope.viz;
