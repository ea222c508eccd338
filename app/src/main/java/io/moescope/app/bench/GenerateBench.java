package io.moescope.app.bench;

import io.moescope.app.session.AppPaths;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.app.window.Explorer;
import io.moescope.app.window.GuiOptions;
import io.moescope.app.window.MainView;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.SpeedBenchmark;
import io.moescope.viz.fx.FrameMonitor;
import io.moescope.viz.fx.PulseStats;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.util.Duration;

/**
 * {@code gui --bench-generate N}: opens the window on a model (the embedded one unless {@code --model}), and generates
 * {@code N} tokens with the live views open (the tab given by {@code --view}, the dashboard, transcript and
 * inspector), through the window's own path (engine thread, trace store, recording file, view refreshes), from the
 * prompt {@code ./moescope bench} uses ({@link SpeedBenchmark#benchPrompt}: {@code --prompt-tokens} seeded random
 * ids) with the same sampling (greedy, no stop at EOS). First warm-up generations of {@code --warmup} tokens in all
 * (each as long as the measured one; runs of their own: classes loading, code being compiled, the window's first
 * frames), then the measured one; prints one JSON line and exits. FX thread.
 *
 * <p>Figures of the measured run: decode tokens/s as the engine times it (forward passes only, the figure {@code
 * bench} and the status bar report) and as a user sees it (first generated token to last, from the trace's token
 * times: tracing, the store and the recording included), frame p50/p99 during the run, the engine thread's CPU time
 * over the run's wall time (below 1: it waited for a core), what the engine and FX threads allocated per token, and
 * the collections in the run.
 */
public final class GenerateBench {

    private final Explorer ex;
    private final MainView main;
    private final GuiOptions o;
    private final IntConsumer exitCode;
    private final FrameMonitor frames;
    private final ThreadProbe probe = new ThreadProbe();
    private long measuredStart;
    private long gcCount;
    private long gcMillis;
    private long revisions;
    private long measuredEpochMs; // wall-clock start of the measured run, to find it in a profile

    /** @param exitCode where a failed run reports the process exit code (2) */
    public GenerateBench(Explorer ex, MainView main, Scene scene, GuiOptions o, IntConsumer exitCode) {
        this.ex = ex;
        this.main = main;
        this.o = o;
        this.exitCode = exitCode;
        this.frames = new FrameMonitor(scene, 1 << 17);
    }

    public void start() {
        main.select(o.view());
        frames.start();
        Path dir = o.model() != null ? o.model() : AppPaths.embeddedModel();
        CompletableFuture<MoeModel> opened = dir == null
                ? CompletableFuture.failedFuture(new IllegalArgumentException("no model: pass --model"))
                : ex.engine.openModel(dir);
        opened.thenCompose(m -> warmUp(m, o.benchWarmup()))
                .thenComposeAsync(
                        x -> {
                            gcCount = gcCount();
                            gcMillis = gcMillis();
                            probe.start();
                            revisions = ex.workspace.revisionProperty().get();
                            measuredStart = System.nanoTime();
                            measuredEpochMs = System.currentTimeMillis();
                            return generate(ex.engine.getModel(), o.benchGenerate(), "bench");
                        },
                        Platform::runLater)
                .whenComplete((run, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        System.err.println("moescope: bench-generate failed: " + EngineService.describe(failure));
                        exitCode.accept(2);
                        Platform.exit();
                        return;
                    }
                    probe.stop();
                    long measuredEnd = System.nanoTime();
                    // the views catch up with the last token, then the figures are taken
                    PauseTransition settle = new PauseTransition(Duration.millis(300));
                    settle.setOnFinished(e -> {
                        frames.stop();
                        report(run, measuredEnd);
                        Platform.exit();
                    });
                    settle.play();
                }));
    }

    /**
     * Warm-up generations of {@code tokens} in all, each at most as long as the measured one (a generation stops at the
     * model's context, 1 024 positions on the embedded model, so one long warm-up would end early).
     */
    private CompletableFuture<Run> warmUp(MoeModel m, int tokens) {
        if (tokens <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        int chunk = Math.min(tokens, Math.max(1, o.benchGenerate()));
        return generate(m, chunk, "warm-up").thenCompose(r -> warmUp(m, tokens - chunk));
    }

    /** Generates {@code tokens} from the bench prompt through the window's session (FX thread). */
    private CompletableFuture<Run> generate(MoeModel m, int tokens, String label) {
        int[] prompt = SpeedBenchmark.benchPrompt(m, o.benchPromptTokens());
        GenerationRequest request = new GenerationRequest(
                prompt, tokens, SamplingParams.GREEDY, io.moescope.model.api.Intervention.NONE, false, false);
        CompletableFuture<Run> run = new CompletableFuture<>();
        Platform.runLater(() -> ex.engine.generate(request, false, label).whenComplete((r, f) -> {
            if (f != null) {
                run.completeExceptionally(f);
            } else {
                run.complete(r);
            }
        }));
        return run;
    }

    private void report(Run run, long measuredEnd) {
        PulseStats frame = frames.stats(measuredStart, measuredEnd);
        int tokens = Math.max(1, run.decodeTokens());
        double wall = (measuredEnd - measuredStart) / 1e9;
        System.out.println(String.format(
                Locale.ROOT,
                "{\"model\":\"%s\",\"tab\":\"%s\",\"prompt_tokens\":%d,\"decode_tokens\":%d,\"warmup_tokens\":%d,"
                        + "\"engine_decode_tokens_per_s\":%.1f,\"wall_decode_tokens_per_s\":%.1f,\"run_s\":%.3f,"
                        + "\"pulses\":%d,\"frame_p50_ms\":%.2f,\"frame_p99_ms\":%.2f,\"frame_max_ms\":%.2f,"
                        + "\"engine_cpu_fraction\":%.3f,\"engine_alloc_bytes_per_token\":%d,"
                        + "\"fx_alloc_bytes_per_token\":%d,\"fx_cpu_fraction\":%.3f,\"render_cpu_fraction\":%.3f,"
                        + "\"jit_ms\":%d,\"refreshes\":%d,\"live_refresh_ms\":%d,\"gc_count\":%d,\"gc_ms\":%d,"
                        + "\"measured_epoch_ms\":[%d,%d]}",
                ex.engine.getModel().directory().getFileName(),
                o.view(),
                o.benchPromptTokens(),
                run.decodeTokens(),
                o.benchWarmup(),
                run.engineTokensPerSecond(),
                run.tokensPerSecond(),
                wall,
                frame.count(),
                frame.p50Millis(),
                frame.p99Millis(),
                frame.maxMillis(),
                probe.engineCpuNanos() / (wall * 1e9),
                probe.engineAllocated() / tokens,
                probe.fxAllocated() / tokens,
                probe.fxCpuNanos() / (wall * 1e9),
                probe.renderCpuNanos() / (wall * 1e9),
                probe.jitMillis(),
                ex.workspace.revisionProperty().get() - revisions,
                Workspace.LIVE_REFRESH_MS,
                gcCount() - gcCount,
                gcMillis() - gcMillis,
                measuredEpochMs,
                measuredEpochMs + (measuredEnd - measuredStart) / 1_000_000));
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }
}
