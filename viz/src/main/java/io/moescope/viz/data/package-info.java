/**
 * Immutable, toolkit-free inputs for the charts: grids ({@link io.moescope.viz.data.HeatmapSnapshot}),
 * titled grids for stacked views and bar values ({@link io.moescope.viz.data.BarsSnapshot}).
 *
 * <p>Belongs here: plain records that copy what they are given and validate it, safe to build on any
 * thread and hand to the FX thread. Must not be here: JavaFX types, colours, or anything that knows
 * where the numbers came from (no engine, no MoE vocabulary).
 */
package io.moescope.viz.data;
