package io.moescope.app.bench;

import io.moescope.viz.fx.PulseStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import javafx.animation.AnimationTimer;

/**
 * CPU time the FX thread and the renderer thread ({@code QuantumRenderer-0}) spend per pulse interval, for the
 * pulse benchmark: on a busy host the pulse interval also counts the time the threads waited for a core, this
 * counts only the work. Recorded at every pulse by an AnimationTimer (FX thread).
 */
final class PulseCpu {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long[] fx = new long[1 << 17]; // nanoseconds per interval
    private final long[] render = new long[1 << 17];
    private int count;
    private long lastFx = -1;
    private long lastRender;
    private long rendererId = -1;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            record();
        }
    };

    void start() {
        rendererId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("QuantumRenderer"))
                .mapToLong(Thread::getId)
                .findFirst()
                .orElse(-1);
        timer.start();
    }

    void stop() {
        timer.stop();
    }

    private void record() {
        long f = threads.getCurrentThreadCpuTime();
        long r = rendererId < 0 ? 0 : Math.max(0, threads.getThreadCpuTime(rendererId));
        if (lastFx >= 0 && count < fx.length) {
            fx[count] = f - lastFx;
            render[count] = r - lastRender;
            count++;
        }
        lastFx = f;
        lastRender = r;
    }

    /** FX-thread CPU per pulse interval. */
    PulseStats fxStats() {
        return PulseStats.ofNanos(Arrays.copyOf(fx, count));
    }

    /** Renderer-thread CPU per pulse interval (zeros when the thread was not found). */
    PulseStats renderStats() {
        return PulseStats.ofNanos(Arrays.copyOf(render, count));
    }
}
