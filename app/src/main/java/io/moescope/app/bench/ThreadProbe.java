package io.moescope.app.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time and allocated bytes of the engine thread ({@code moe-inference}) and the FX thread (and the renderer's CPU
 * time, and the JIT's compile time) between {@link #start} and {@link #stop}, for {@code gui --bench-generate}: an
 * engine thread with less CPU time than wall time waited for a core; bytes per token say whether trace copies allocate
 * per token. Start and stop on the FX thread.
 */
final class ThreadProbe {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long engineId = -1;
    private long fxId = -1;
    private long engineCpu;
    private long engineBytes;
    private long fxCpu;
    private long fxBytes;
    private long renderId = -1;
    private long renderCpu;
    private long jitMillis;

    void start() {
        engineId = threadId("moe-inference");
        fxId = Thread.currentThread().getId();
        engineCpu = -cpu(engineId);
        engineBytes = -bytes(engineId);
        fxCpu = -cpu(fxId);
        fxBytes = -bytes(fxId);
        renderId = threadId("QuantumRenderer-0");
        renderCpu = -cpu(renderId);
        jitMillis = -jitMillisNow();
    }

    void stop() {
        engineCpu += cpu(engineId);
        engineBytes += bytes(engineId);
        fxCpu += cpu(fxId);
        fxBytes += bytes(fxId);
        renderCpu += cpu(renderId);
        jitMillis += jitMillisNow();
    }

    long engineCpuNanos() {
        return engineCpu;
    }

    long engineAllocated() {
        return engineBytes;
    }

    long fxCpuNanos() {
        return fxCpu;
    }

    /** CPU time of the renderer thread ({@code QuantumRenderer-0}; 0 when not found). */
    long renderCpuNanos() {
        return renderCpu;
    }

    /**
     * Time the JIT compiler threads spent compiling between start and stop (milliseconds, summed over the compiler
     * threads; 0 where the JVM does not report it): code still being compiled during a measured run takes a core from it.
     */
    long jitMillis() {
        return jitMillis;
    }

    long fxAllocated() {
        return fxBytes;
    }

    private long cpu(long id) {
        return id < 0 ? 0 : Math.max(0, threads.getThreadCpuTime(id));
    }

    private long bytes(long id) {
        return id < 0 ? 0 : Math.max(0, threads.getThreadAllocatedBytes(id));
    }

    private static long jitMillisNow() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .mapToLong(Thread::getId)
                .findFirst()
                .orElse(-1);
    }
}
