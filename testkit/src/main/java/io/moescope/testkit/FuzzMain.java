package io.moescope.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one {@code @FuzzTest} method through the JUnit platform in a plain {@code java} process, without Maven: a
 * fuzzing campaign then holds no Maven process for hours, its process id is the fuzzing JVM's (so its CPU time can
 * be read from /proc), and a build can run beside it. Same configuration as the surefire runs (extension
 * auto-detection, so the no-network guard is in force); fuzzing mode still needs {@code JAZZER_FUZZ} set. Used by
 * tools/fuzz/*.sh (docs/reliability.md).
 *
 * <p>{@code java -cp TEST_CLASSPATH io.moescope.testkit.FuzzMain io.moescope.model.fuzz.SafetensorsFuzzTest#openRefusesCleanly}
 */
public final class FuzzMain {

    private FuzzMain() {}

    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length != 1 || !args[0].contains("#")) {
            System.err.println("usage: FuzzMain CLASS#METHOD");
            System.exit(2);
        }
        String[] parts = args[0].split("#", 2);
        Class<?> type = Class.forName(parts[0]);
        // by name: a fuzz method takes parameters (byte[], FuzzedDataProvider, ...) that the caller need not spell
        Method method = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(parts[1]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + args[0]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(type, method))
                .configurationParameters(Map.of("junit.jupiter.extensions.autodetection.enabled", "true"))
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        s.printFailuresTo(new PrintWriter(System.err, true), 40);
        s.printTo(new PrintWriter(System.err, true));
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
    }
}
