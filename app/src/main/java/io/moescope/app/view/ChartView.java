package io.moescope.app.view;

import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.Node;

/** A view the window can show in a tab and export: PNG always, SVG where the view is a chart. */
public interface ChartView {

    /** Short name, used for the tab, file names and {@code --view}. */
    String name();

    /** Tab title. */
    String title();

    Node root();

    /** Whether {@link #writeSvg(Path)} does something. */
    default boolean hasSvg() {
        return false;
    }

    /** Writes the view's main chart as SVG (atomically). */
    default void writeSvg(Path target) throws IOException {
        throw new IOException(title() + " has no SVG export; use PNG");
    }
}
