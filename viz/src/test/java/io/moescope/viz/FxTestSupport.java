package io.moescope.viz;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the (headless, Monocle) FX toolkit once per JVM and runs test code on the FX thread. */
public final class FxTestSupport {

    private FxTestSupport() {}

    /** Starts the toolkit if needed; call from {@code @BeforeAll}. */
    public static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** Runs {@code work} on the FX thread and returns its result, rethrowing its failure. */
    public static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code work} on the FX thread and waits for it. */
    public static void runFx(ThrowingRunnable work) throws Exception {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    /** A Runnable that may throw, for assertions on the FX thread. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
