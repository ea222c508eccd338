package io.moescope.app.window;

import java.util.prefs.Preferences;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Remembers the window's size, position, theme and palette across restarts (java.util.prefs). */
public final class WindowPrefs {

    private final Preferences node;

    public WindowPrefs(Preferences node) {
        this.node = node;
    }

    public static Preferences defaultNode() {
        return Preferences.userRoot().node("io/moescope/app");
    }

    public Preferences node() {
        return node;
    }

    public void restore(Stage stage) {
        double w = node.getDouble("window.w", 1500);
        double h = node.getDouble("window.h", 950);
        double x = node.getDouble("window.x", Double.NaN);
        double y = node.getDouble("window.y", Double.NaN);
        stage.setWidth(w);
        stage.setHeight(h);
        if (!Double.isNaN(x) && !Screen.getScreensForRectangle(x, y, 50, 50).isEmpty()) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(node.getBoolean("window.maximized", false));
    }

    public void save(Stage stage) {
        node.putBoolean("window.maximized", stage.isMaximized());
        if (!stage.isMaximized()) {
            node.putDouble("window.x", stage.getX());
            node.putDouble("window.y", stage.getY());
            node.putDouble("window.w", stage.getWidth());
            node.putDouble("window.h", stage.getHeight());
        }
    }

    public String get(String key, String fallback) {
        return node.get(key, fallback);
    }

    public void put(String key, String value) {
        node.put(key, value);
    }
}
