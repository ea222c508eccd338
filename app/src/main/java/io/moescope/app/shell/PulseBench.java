package io.moescope.app.shell;

import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.viz.fx.PulseMonitor;
import io.moescope.viz.fx.PulseStats;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.util.Duration;

/**
 * {@code gui --bench-pulse}: streams a synthetic trace (64 experts × 16 MoE layers, top-6) into the trace store
 * at a fixed token rate while the window shows the live views (the tab given by {@code --view}: gate, load,
 * shared or diagnosis; transcript, dashboard, inspector), measures every FX pulse interval and prints them, with
 * the same figures for the steady state (pulses from 5 s after the stream starts, past JIT warm-up), the FX and
 * renderer threads' CPU time per pulse and the time from JVM launch to the first painted heatmap, as one JSON
 * line. {@code --layer -1} shows every layer stacked. FX thread.
 */
final class PulseBench {

    static final int EXPERTS = 64;
    static final int LAYERS = 16;
    static final int TOP_K = 6;
    /** The tabs the benchmark can show, and the id of the heatmap whose first paint it times. */
    static final java.util.Map<String, String> VIEWS = java.util.Map.of("gate", "#gate-heatmap", "load",
            "#load-heatmap", "shared", "#shared-heatmap", "diagnosis", "#diagnosis-coactivation");

    private final Explorer ex;
    private final MainView main;
    private final Scene scene;
    private final GuiOptions o;
    private final PulseMonitor monitor = new PulseMonitor(1 << 17);
    private final PulseCpu cpu = new PulseCpu();
    private volatile long firstHeatmapMillis = -1;
    private long streamStart;
    /** Pulses from this long after the stream starts count as the steady state (past JIT warm-up). */
    static final long WARM_UP_NANOS = 5_000_000_000L;

    PulseBench(Explorer ex, MainView main, Scene scene, GuiOptions o) {
        this.ex = ex;
        this.main = main;
        this.scene = scene;
        this.o = o;
    }

    void start() {
        main.select(view());
        if (o.layer() != null && o.layer() < 0) {
            ex.workspace.layerProperty().set(io.moescope.app.session.Workspace.ALL_LAYERS);
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        AnimationTimer firstPaint = new AnimationTimer() {
            @Override
            public void handle(long now) {
                // looked up every pulse: a tab's content joins the scene when the tab is first shown
                if (scene.lookup(VIEWS.get(view())) instanceof HeatmapCanvas canvas
                        && canvas.getPaintedCellCount() > 0) {
                    firstHeatmapMillis = System.currentTimeMillis() - jvmStart;
                    stop();
                }
            }
        };
        firstPaint.start();
        monitor.start();
        cpu.start();
        Run run = new Run("bench", new TraceStore(), null);
        ex.workspace.primaryProperty().set(run);
        SyntheticTrace trace = new SyntheticTrace(EXPERTS, LAYERS, TOP_K);
        streamStart = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                trace.stream(run.store(), o.benchTokens(), o.benchRate());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double seconds = (System.nanoTime() - streamStart) / 1e9;
            Platform.runLater(() -> finish(seconds));
        }, "bench-producer");
        producer.setDaemon(true);
        producer.start();
    }

    /** Lets the views (and, on the Diagnosis tab, the last recomputation: up to 5 s) catch up, then reports. */
    private void finish(double seconds) {
        finish(seconds, 0);
    }

    private void finish(double seconds, int waited) {
        PauseTransition settle = new PauseTransition(Duration.millis(waited == 0 ? 500 : 100));
        settle.setOnFinished(e -> {
            var current = ex.diagnosis.getReport();
            if (view().equals("diagnosis") && waited < 50
                    && (current == null || current.tokens() < o.benchTokens())) {
                finish(seconds, waited + 1);
                return;
            }
            monitor.stop();
            cpu.stop();
            PulseStats s = monitor.stats();
            PulseStats steady = monitor.stats(streamStart + WARM_UP_NANOS);
            PulseStats fx = cpu.fxStats();
            PulseStats render = cpu.renderStats();
            var report = ex.diagnosis.getReport();
            System.out.println(String.format(Locale.ROOT, "{\"tokens\":%d,\"experts\":%d,\"moe_layers\":%d,"
                    + "\"top_k\":%d,\"rate_tokens_per_s\":%.1f,\"stream_s\":%.2f,\"pulses\":%d,\"p50_ms\":%.2f,"
                    + "\"p99_ms\":%.2f,\"max_ms\":%.2f,\"steady_pulses\":%d,\"steady_p50_ms\":%.2f,"
                    + "\"steady_p99_ms\":%.2f,\"steady_max_ms\":%.2f,\"fx_cpu_p50_ms\":%.2f,\"fx_cpu_p99_ms\":%.2f,"
                    + "\"render_cpu_p50_ms\":%.2f,\"render_cpu_p99_ms\":%.2f,\"fx_cpu_s\":%.2f,\"render_cpu_s\":%.2f,\"launch_to_first_heatmap_ms\":%d,"
                    + "\"diagnosed_tokens\":%d,\"gate_rows\":%d,\"tab\":\"%s\",\"layer\":%d}", o.benchTokens(),
                    EXPERTS, LAYERS, TOP_K, o.benchRate(), seconds, s.count(), s.p50Millis(), s.p99Millis(),
                    s.maxMillis(), steady.count(), steady.p50Millis(), steady.p99Millis(), steady.maxMillis(),
                    fx.p50Millis(), fx.p99Millis(), render.p50Millis(), render.p99Millis(),
                    cpu.fxTotalSeconds(), cpu.renderTotalSeconds(),
                    firstHeatmapMillis, report == null ? 0 : report.tokens(), gateRows(), view(),
                    ex.workspace.layerProperty().get()));
            Platform.exit();
        });
        settle.play();
    }

    /** The tab shown: {@code --view} when the benchmark supports it, else the gate tab. */
    private String view() {
        return VIEWS.containsKey(o.view()) ? o.view() : "gate";
    }

    /** Rows of the gate heatmap (the first block when stacked), to check that every token is shown. */
    private int gateRows() {
        var stacked = ex.gate.stackedProperty().get();
        return stacked.isEmpty() ? ex.gate.heatmapProperty().get().rows() : stacked.get(0).snapshot().rows();
    }
}
