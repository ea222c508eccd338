package io.moescope.viz.heatmap;

import io.moescope.viz.color.ColorScale;
import java.util.List;
import javafx.scene.paint.Color;

/** What a paint needs besides geometry and data: colours and fonts, resolved from properties/CSS. */
record HeatmapStyle(
        ColorScale scale,
        LabelFitter labels,
        LabelFitter titles,
        Color textFill,
        Color markColor,
        List<Color> tagColors) {

    Color tagColor(int tag) {
        return tag <= 0 || tagColors.isEmpty() ? null : tagColors.get((tag - 1) % tagColors.size());
    }
}
