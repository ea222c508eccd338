package io.moescope.app.session;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where MoE Scope finds its bundled resources: {@code -Dmoescope.home} (the launcher sets it) or the working dir. */
public final class AppPaths {

    /** The embedded default model, relative to the home directory. */
    public static final String EMBEDDED_MODEL = "resources/models/tiny-deepseekmoe";

    private AppPaths() {
    }

    public static Path home() {
        String home = System.getProperty("moescope.home");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    /** The embedded model directory if it is present (has a config.json), else null. */
    public static Path embeddedModel() {
        Path dir = home().resolve(EMBEDDED_MODEL);
        return Files.isRegularFile(dir.resolve("config.json")) ? dir : null;
    }
}
