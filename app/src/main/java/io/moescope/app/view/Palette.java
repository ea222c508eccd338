package io.moescope.app.view;

import io.moescope.viz.color.ColorScale;
import io.moescope.viz.color.Palettes;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.StringProperty;

/** The sequential colour scale chosen in the View menu, as a binding for heatmaps. */
public final class Palette {

    private Palette() {}

    public static ObjectBinding<ColorScale> binding(StringProperty name) {
        return Bindings.createObjectBinding(() -> Palettes.byName(name.get()), name);
    }
}
