package io.moescope.viz;

import java.net.URL;
import java.util.Objects;
import javafx.scene.Parent;

/**
 * The chart themes defined in {@code viz.css}: each is a style class on the scene root.
 *
 * <pre>{@code
 * scene.getStylesheets().add(VizTheme.stylesheet());
 * VizTheme.LIGHT.applyTo(scene.getRoot());
 * }</pre>
 */
public enum VizTheme {
    DARK("theme-dark"),
    LIGHT("theme-light");

    private final String styleClass;

    VizTheme(String styleClass) {
        this.styleClass = styleClass;
    }

    /** The style class that selects this theme. */
    public String styleClass() {
        return styleClass;
    }

    /** URL of {@code viz.css}, for {@code Scene.getStylesheets().add(...)}. */
    public static String stylesheet() {
        URL css = Objects.requireNonNull(VizTheme.class.getResource("viz.css"), "viz.css missing");
        return css.toExternalForm();
    }

    /** Puts this theme's class on {@code root}, removing the other theme's. FX thread if root is live. */
    public void applyTo(Parent root) {
        for (VizTheme theme : values()) {
            root.getStyleClass().remove(theme.styleClass);
        }
        root.getStyleClass().add(styleClass);
    }
}
