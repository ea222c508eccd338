/**
 * Writing charts to files: {@link io.moescope.viz.export.PngExport} (a node or image as PNG) and
 * {@link io.moescope.viz.export.SvgExport} (heatmaps and bars as SVG, pure Java). Every file is
 * written to a temporary sibling first and then renamed into place atomically, so readers never see
 * a half-written file.
 *
 * <p>Belongs here: encoding and atomic file output. Must not be here: choosing what to export or
 * where (the app decides), dialogs.
 */
package io.moescope.viz.export;
