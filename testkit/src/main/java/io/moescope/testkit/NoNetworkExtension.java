package io.moescope.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which the JVM tried to open a network connection, even when the code that tried swallowed
 * the refusal (DJL's telemetry does). Registered for every test by Jupiter's extension auto-detection (enabled in the
 * parent pom's surefire configuration). An attempt made between tests is blamed on the next one.
 */
public final class NoNetworkExtension implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        NetworkGuard.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> attempts = NetworkGuard.takeAttempts();
        if (!attempts.isEmpty()) {
            throw new AssertionError("the test tried to use the network (MoE Scope must never): " + attempts);
        }
    }
}
