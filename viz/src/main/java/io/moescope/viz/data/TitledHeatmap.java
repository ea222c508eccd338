package io.moescope.viz.data;

import java.util.Objects;

/**
 * One block of a stacked heatmap view: a grid with a title above it (for example one per layer).
 *
 * @param title    text drawn above the grid; may be empty
 * @param snapshot the grid
 */
public record TitledHeatmap(String title, HeatmapSnapshot snapshot) {

    public TitledHeatmap {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
