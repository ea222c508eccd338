/**
 * Small FX-side utilities shared by any live producer: {@link io.moescope.viz.fx.FxCoalescer} folds
 * a burst of signals from any thread into one UI refresh, {@link io.moescope.viz.fx.PulseMonitor}
 * measures how regularly the FX pulse runs.
 *
 * <p>Belongs here: threading glue and measurement. Must not be here: charts, or knowledge of what is
 * being refreshed.
 */
package io.moescope.viz.fx;
