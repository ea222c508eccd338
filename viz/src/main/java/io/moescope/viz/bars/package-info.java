/**
 * Bar charts over {@link io.moescope.viz.data.BarsSnapshot}: {@link io.moescope.viz.bars.BarChartCanvas}
 * (Region + Canvas, FX thread only), with highlighted bars and a horizontal reference line.
 *
 * <p>Belongs here: drawing and hit-testing bars. Must not be here: computing the values (the caller
 * builds the snapshot), or anything specific to where the values came from.
 */
package io.moescope.viz.bars;
