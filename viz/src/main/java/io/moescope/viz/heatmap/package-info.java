/**
 * Heatmap nodes: {@link io.moescope.viz.heatmap.HeatmapCanvas} (one grid, or several stacked with
 * titles) and {@link io.moescope.viz.heatmap.ColorLegend}. Region + Canvas, FX thread only.
 *
 * <p>Belongs here: drawing neutral {@link io.moescope.viz.data.HeatmapSnapshot}s, the pure geometry
 * pass that drawing and hit-testing share, hover/click mapping. Must not be here: building snapshots
 * from any particular data source, or threads other than the FX thread.
 */
package io.moescope.viz.heatmap;
