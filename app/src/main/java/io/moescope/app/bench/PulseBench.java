package io.moescope.app.bench;

import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.app.window.Explorer;
import io.moescope.app.window.GuiOptions;
import io.moescope.app.window.MainView;
import io.moescope.viz.fx.FrameMonitor;
import io.moescope.viz.fx.PulseMonitor;
import io.moescope.viz.fx.PulseStats;
import io.moescope.viz.heatmap.HeatmapCanvas;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleConsumer;
import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.util.Duration;

/**
 * {@code gui --bench-pulse}: streams synthetic traces (64 experts × 16 MoE layers, top-6) into the trace store at a
 * fixed token rate on a producer thread, as a generation does, while the window shows the live views (the tab given
 * by {@code --view}: gate, load, shared or diagnosis; transcript, dashboard, inspector; {@code --layer -1}: every
 * layer stacked), and prints one JSON line.
 *
 * <p>First a warm-up stream of {@code --warmup} tokens in a run of its own (the cold start: the window's first
 * frames, classes loading, code not yet compiled), then the measured stream of {@code --tokens} tokens in a fresh
 * run, so the views grow from an empty trace to the full one. For each phase: every pulse's frame time (pulse start
 * to frame rendered, {@link FrameMonitor}: does a repaint fit in one 16 ms frame), the intervals between pulses
 * ({@link PulseMonitor}), and for the measured stream the FX and renderer threads' CPU time per pulse; also the time
 * from JVM launch to the first painted heatmap. FX thread.
 */
public final class PulseBench {

    static final int EXPERTS = 64;
    static final int LAYERS = 16;
    static final int TOP_K = 6;
    /** A frame longer than this missed the 60 Hz frame. */
    static final long FRAME_BUDGET_NANOS = 16_000_000L;
    /** The tabs the benchmark can show, and the id of the heatmap whose first paint it times. */
    public static final Map<String, String> VIEWS = Map.of(
            "gate",
            "#gate-heatmap",
            "load",
            "#load-heatmap",
            "shared",
            "#shared-heatmap",
            "diagnosis",
            "#diagnosis-coactivation");

    private final Explorer ex;
    private final MainView main;
    private final Scene scene;
    private final GuiOptions o;
    private final PulseMonitor intervals = new PulseMonitor(1 << 17);
    private final FrameMonitor frames;
    private final PulseCpu cpu = new PulseCpu();
    private final SoakProbe soak = new SoakProbe();
    private volatile long firstHeatmapMillis = -1;
    private long launchNanos;
    private long measuredStart;

    public PulseBench(Explorer ex, MainView main, Scene scene, GuiOptions o) {
        this.ex = ex;
        this.main = main;
        this.scene = scene;
        this.o = o;
        this.frames = new FrameMonitor(scene, 1 << 17);
    }

    public void start() {
        main.select(view());
        if (o.layer() != null && o.layer() < 0) {
            ex.workspace.layerProperty().set(Workspace.ALL_LAYERS);
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
        intervals.start();
        frames.start();
        launchNanos = System.nanoTime();
        if (o.benchWarmup() > 0) {
            stream("warm-up", o.benchWarmup(), seconds -> startMeasured());
        } else {
            startMeasured();
        }
    }

    private void startMeasured() {
        soak.start();
        measuredStart = System.nanoTime();
        cpu.start();
        stream("bench", o.benchTokens(), seconds -> finish(seconds, 0));
    }

    /** Streams {@code tokens} into a new primary run on a producer thread, then calls {@code done} on the FX thread. */
    private void stream(String name, int tokens, DoubleConsumer done) {
        Run run = new Run(name, new TraceStore(), null);
        ex.workspace.primaryProperty().set(run);
        SyntheticTrace trace = new SyntheticTrace(EXPERTS, LAYERS, TOP_K);
        long start = System.nanoTime();
        Thread producer = new Thread(
                () -> {
                    try {
                        trace.stream(run.sink(), tokens, o.benchRate());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Platform.runLater(() -> done.accept(seconds));
                },
                "bench-producer");
        producer.setDaemon(true);
        producer.start();
    }

    /** Lets the views (and, on the Diagnosis tab, the last recomputation: up to 5 s) catch up, then reports. */
    private void finish(double seconds, int waited) {
        PauseTransition settle = new PauseTransition(Duration.millis(waited == 0 ? 500 : 100));
        settle.setOnFinished(e -> {
            var current = ex.diagnosis.getReport();
            if (view().equals("diagnosis") && waited < 50 && (current == null || current.tokens() < o.benchTokens())) {
                finish(seconds, waited + 1);
                return;
            }
            intervals.stop();
            frames.stop();
            cpu.stop();
            report(seconds);
            Platform.exit();
        });
        settle.play();
    }

    private void report(double seconds) {
        PulseStats frame = frames.stats(measuredStart);
        long slow = Arrays.stream(frames.frameNanos(measuredStart, Long.MAX_VALUE))
                .filter(f -> f > FRAME_BUDGET_NANOS)
                .count();
        PulseStats cold = frames.stats(launchNanos, measuredStart);
        PulseStats interval = intervals.stats(measuredStart);
        PulseStats fx = cpu.fxStats();
        PulseStats render = cpu.renderStats();
        var diagnosed = ex.diagnosis.getReport();
        // the soak's "frame time unchanged": the first and the last tenth of the measured stream
        long tenth = (long) (seconds * 1e8);
        PulseStats early = frames.stats(measuredStart, measuredStart + tenth);
        PulseStats late = frames.stats(measuredStart + 9 * tenth, measuredStart + 10 * tenth);
        long peak = soak.heapPeak();
        long retained = SoakProbe.retainedHeap();
        String leaked = String.join(
                ",",
                soak.newThreads().stream()
                        .map(n -> "\"" + n.replace("\"", "'") + "\"")
                        .toList());
        System.out.println(String.format(
                Locale.ROOT,
                "{\"tokens\":%d,\"warmup_tokens\":%d,\"experts\":%d,"
                        + "\"moe_layers\":%d,\"top_k\":%d,\"rate_tokens_per_s\":%.1f,\"stream_s\":%.2f,"
                        + "\"pulses\":%d,\"frame_p50_ms\":%.2f,\"frame_p99_ms\":%.2f,\"frame_max_ms\":%.2f,"
                        + "\"frames_over_16ms\":%d,\"frame_overlaps\":%d,"
                        + "\"interval_p50_ms\":%.2f,\"interval_p99_ms\":%.2f,\"interval_max_ms\":%.2f,"
                        + "\"fx_cpu_p50_ms\":%.2f,\"fx_cpu_p99_ms\":%.2f,\"render_cpu_p50_ms\":%.2f,"
                        + "\"render_cpu_p99_ms\":%.2f,\"cold_pulses\":%d,\"cold_frame_p50_ms\":%.2f,"
                        + "\"cold_frame_p99_ms\":%.2f,\"cold_frame_max_ms\":%.2f,\"launch_to_first_heatmap_ms\":%d,"
                        + "\"diagnosed_tokens\":%d,\"gate_rows\":%d,\"tab\":\"%s\",\"layer\":%d,"
                        + "\"frame_p99_first_tenth_ms\":%.2f,\"frame_p99_last_tenth_ms\":%.2f,\"heap_peak_mb\":%.1f,"
                        + "\"heap_retained_start_mb\":%.1f,\"heap_retained_end_mb\":%.1f,\"threads_start\":%d,"
                        + "\"new_threads\":[%s]}",
                o.benchTokens(),
                o.benchWarmup(),
                EXPERTS,
                LAYERS,
                TOP_K,
                o.benchRate(),
                seconds,
                frame.count(),
                frame.p50Millis(),
                frame.p99Millis(),
                frame.maxMillis(),
                slow,
                frames.overlaps(),
                interval.p50Millis(),
                interval.p99Millis(),
                interval.maxMillis(),
                fx.p50Millis(),
                fx.p99Millis(),
                render.p50Millis(),
                render.p99Millis(),
                cold.count(),
                cold.p50Millis(),
                cold.p99Millis(),
                cold.maxMillis(),
                firstHeatmapMillis,
                diagnosed == null ? 0 : diagnosed.tokens(),
                gateRows(),
                view(),
                ex.workspace.layerProperty().get(),
                early.p99Millis(),
                late.p99Millis(),
                peak / 1048576.0,
                soak.retainedAtStart() / 1048576.0,
                retained / 1048576.0,
                soak.threadsAtStart(),
                leaked));
    }

    /** The tab shown: {@code --view} when the benchmark supports it, else the gate tab. */
    private String view() {
        return VIEWS.containsKey(o.view()) ? o.view() : "gate";
    }

    /** Rows of the gate heatmap (the first block when stacked), to check that every token is shown. */
    private int gateRows() {
        var stacked = ex.gate.stackedProperty().get();
        return stacked.isEmpty()
                ? ex.gate.heatmapProperty().get().rows()
                : stacked.get(0).snapshot().rows();
    }
}
