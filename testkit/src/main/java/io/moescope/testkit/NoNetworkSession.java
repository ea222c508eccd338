package io.moescope.testkit;

import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link NetworkGuard} before the first test class loads (JUnit finds this listener through
 * META-INF/services in every module that has the test kit on its test class path). An attempt no test was blamed for
 * — one made on a background thread after the last test ended — ends the test JVM with a non-zero status, so the
 * build fails even then.
 */
public final class NoNetworkSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NetworkGuard.install();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<String> late = NetworkGuard.takeAttempts();
        if (!late.isEmpty()) {
            System.err.println("FAILED: this test JVM tried to use the network after its tests ended: " + late);
            System.err.flush();
            Runtime.getRuntime().halt(86);
        }
    }
}
