package io.moescope.app.session;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where MoE Scope finds its bundled resources ({@code -Dmoescope.home}, which the launchers set, or the working
 * directory) and where it keeps its own data.
 */
public final class AppPaths {

    /** The embedded default model, relative to the home directory. */
    public static final String EMBEDDED_MODEL = "resources/models/tiny-deepseekmoe";

    private AppPaths() {}

    public static Path home() {
        String home = System.getProperty("moescope.home");
        return Path.of(home == null || home.isBlank() ? "." : home)
                .toAbsolutePath()
                .normalize();
    }

    /**
     * Where MoE Scope keeps what it writes for itself (the recovery files): {@code -Dmoescope.data}, else
     * {@code $XDG_DATA_HOME/moescope}, else {@code ~/.local/share/moescope}. Not created here.
     */
    public static Path dataDirectory() {
        String own = System.getProperty("moescope.data");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("moescope").toAbsolutePath().normalize();
    }

    /** The embedded model directory if it is present (has a config.json), else null. */
    public static Path embeddedModel() {
        Path dir = home().resolve(EMBEDDED_MODEL);
        return Files.isRegularFile(dir.resolve("config.json")) ? dir : null;
    }
}
