package io.moescope.app.cli;

import io.moescope.app.bench.PulseBench;
import io.moescope.app.launch.MoeScopeApp;
import io.moescope.app.snapshot.ExitWatchdog;
import io.moescope.app.window.GuiOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gui [--snapshot FILE] [--model DIR] [--prompt TEXT] [--max-tokens N] [--view NAME] ...}: the window. */
@Command(
        name = "gui",
        mixinStandardHelpOptions = true,
        description = "Open the explorer window (with --snapshot: render it to a PNG and exit)")
public final class GuiCommand implements Callable<Integer> {

    @Option(names = "--snapshot", paramLabel = "FILE", description = "Generate, render the window to FILE (PNG), exit")
    Path snapshot;

    @Option(
            names = "--model",
            paramLabel = "PATH",
            description = "Model directory or .gguf file (default: last model, else the " + "embedded one)")
    Path model;

    @Option(names = "--trace", paramLabel = "FILE", description = "Replay a JSONL trace instead of opening a model")
    Path trace;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt (token ids if the model has no tokenizer)")
    String prompt;

    @Option(
            names = "--max-tokens",
            defaultValue = "24",
            description = "Tokens to generate in snapshot mode " + "(default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--view",
            defaultValue = "gate",
            description = "Tab to show: gate, load, shared, compare, "
                    + "diagnosis, walk; or only a panel: inspector, transcript, dashboard; or window "
                    + "(default ${DEFAULT-VALUE})")
    String view;

    @Option(
            names = "--compare-prompt",
            paramLabel = "TEXT",
            description = "For --view compare: run this second " + "prompt as B instead of an ablation")
    String comparePrompt;

    @Option(
            names = "--walk-step",
            paramLabel = "STEP",
            description = "For --view walk: the walkthrough step "
                    + "(hidden_in, logits, scores, selection, top_k, weights, expert_outputs, combine, residual)")
    String walkStep;

    @Option(names = "--lesson", paramLabel = "FILE", description = "Play this lesson (resources/lessons/*.json)")
    Path lesson;

    @Option(
            names = "--lesson-step",
            paramLabel = "N",
            defaultValue = "1",
            description = "The lesson step to show " + "(default ${DEFAULT-VALUE})")
    int lessonStep;

    @Option(names = "--present", description = "Presentation mode (F5 in the window)")
    boolean present;

    @Option(names = "--theme", description = "dark or light")
    String theme;

    @Option(names = "--layer", description = "Decoder layer for the per-layer views; -1 = all layers stacked")
    Integer layer;

    @Option(names = "--inspect", paramLabel = "POS", description = "Position to inspect (default: first generated)")
    Integer inspect;

    @Option(
            names = "--ablate",
            paramLabel = "LAYER:E",
            description = "Ablation for --view compare (default: the " + "busiest expert of the first MoE layer)")
    String ablate;

    @Option(names = "--size", defaultValue = "1600x1000", description = "Window size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(
            names = "--bench-pulse",
            hidden = true,
            description = "Stream a synthetic 64-expert, 16-layer trace "
                    + "into the live views, print FX pulse p50/p99/max and launch-to-first-heatmap as JSON, exit")
    boolean benchPulse;

    @Option(names = "--tokens", hidden = true, defaultValue = "4096", description = "Tokens for --bench-pulse")
    int benchTokens;

    @Option(names = "--rate", hidden = true, defaultValue = "200", description = "Tokens/s for --bench-pulse")
    double benchRate;

    @Option(
            names = "--warmup",
            hidden = true,
            description = "Tokens --bench-pulse streams (default 1024) or --bench-generate generates (default: as many"
                    + " as measured, in generations as long as the measured one) before the measured run (runs of their own:"
                    + " the cold first runs after launch), 0 for none")
    Integer benchWarmup;

    @Option(
            names = "--bench-generate",
            hidden = true,
            paramLabel = "N",
            description = "Open the model (default the embedded one), generate N tokens with the live views open"
                    + " (--view gate or diagnosis ...), print tokens/s, frame p50/p99 and GC figures as JSON, exit")
    int benchGenerate;

    @Option(
            names = "--prompt-tokens",
            hidden = true,
            defaultValue = "32",
            description = "Prompt length for --bench-generate: the seeded random ids of `bench --prompt-tokens`")
    int benchPromptTokens;

    /** The most a snapshot may take, start to PNG (a cold start on a busy 2-core machine takes 10-25 s). */
    static final long SNAPSHOT_LIMIT_SECONDS = 180;
    /** Added when the snapshot's lesson step starts the balancing demo: it is written when the 240 steps are done. */
    static final long BALANCE_DEMO_SECONDS = 1200;

    private boolean startsBalanceDemo() {
        if (lesson == null) {
            return false;
        }
        try {
            io.moescope.app.teach.Lesson l = io.moescope.app.teach.LessonReader.read(lesson);
            int i = Math.max(0, Math.min(l.steps().size() - 1, lessonStep - 1));
            return "start".equals(l.state(i).balance());
        } catch (io.moescope.app.teach.LessonReader.LessonException e) {
            return false; // the window reports the bad lesson
        }
    }
    /** How long the JVM may take to exit once the window has closed before the watchdog halts it. */
    static final long EXIT_GRACE_SECONDS = 20;

    @Override
    public Integer call() {
        String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("--size must look like 1600x1000, got " + size);
        }
        if (theme != null && !theme.equalsIgnoreCase("dark") && !theme.equalsIgnoreCase("light")) {
            throw new IllegalArgumentException("--theme must be dark or light, got " + theme);
        }
        int width = Integer.parseInt(wh[0].trim());
        int height = Integer.parseInt(wh[1].trim());
        int warmup = benchWarmup != null ? benchWarmup : benchGenerate > 0 ? benchGenerate : 1024;
        if (benchPulse && (benchTokens < 1 || !(benchRate > 0) || warmup < 0)) {
            throw new IllegalArgumentException("--tokens and --rate must be positive, --warmup at least 0");
        }
        if (walkStep != null && io.moescope.app.teach.WalkStep.Kind.parse(walkStep) == null) {
            throw new IllegalArgumentException("--walk-step must be one of "
                    + io.moescope.app.teach.WalkStep.Kind.spellings() + ", got " + walkStep);
        }
        if (benchPulse && !PulseBench.VIEWS.containsKey(view)) {
            throw new IllegalArgumentException(
                    "--bench-pulse shows --view gate, load, shared or diagnosis, got " + view);
        }
        if (benchGenerate < 0 || benchPromptTokens < 1 || (benchGenerate > 0 && (warmup < 0 || benchPulse))) {
            throw new IllegalArgumentException(
                    "--bench-generate needs N > 0, --prompt-tokens > 0, --warmup >= 0, and no --bench-pulse");
        }
        boolean bench = benchPulse || benchGenerate > 0;
        if ((snapshot != null || bench)
                && System.getenv("DISPLAY") == null
                && System.getProperty("glass.platform") == null) {
            useHeadlessToolkit(width, height);
        }
        if (System.getProperty("prism.order", "").startsWith("sw")
                && System.getProperty("prism.disableRegionCaching") == null) {
            // the software renderer draws a cached background by scaling an image over the region, slower than
            // filling it; charts that change every frame (tables, the expert-load tab) redraw their backgrounds
            System.setProperty("prism.disableRegionCaching", "true");
        }
        // a run that must end by itself is armed before the toolkit starts, so a hang anywhere (toolkit start-up,
        // FX thread, renderer, shutdown) still ends the process with a thread dump
        ExitWatchdog watchdog = null;
        if (snapshot != null || bench) {
            // a generation is given 100 ms a token, the slowest a large model decodes here
            double streamSeconds = benchPulse
                    ? (benchTokens + warmup) / benchRate
                    : benchGenerate > 0 ? (benchGenerate + warmup) * 0.1 : 0;
            watchdog = ExitWatchdog.start(
                    benchPulse ? "bench-pulse" : benchGenerate > 0 ? "bench-generate" : "snapshot",
                    Duration.ofSeconds(SNAPSHOT_LIMIT_SECONDS
                            + (long) Math.ceil(2 * streamSeconds)
                            + (startsBalanceDemo() ? BALANCE_DEMO_SECONDS : 0)));
        }
        int code = MoeScopeApp.launch(new GuiOptions(
                snapshot,
                model,
                trace,
                prompt,
                maxTokens,
                view,
                theme,
                layer,
                inspect,
                ablate,
                width,
                height,
                benchPulse ? benchTokens : 0,
                benchRate,
                warmup,
                comparePrompt,
                walkStep,
                lesson,
                lessonStep,
                present,
                Math.max(0, benchGenerate),
                benchPromptTokens));
        if (watchdog != null) {
            watchdog.exiting(code, Duration.ofSeconds(EXIT_GRACE_SECONDS));
        }
        return code;
    }

    /**
     * Snapshot mode with no display: render with the software pipeline on Monocle's headless screen. Must run
     * before the JavaFX toolkit starts (it reads these properties once).
     */
    private static void useHeadlessToolkit(int width, int height) {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("headless.geometry", width + "x" + height + "-32");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
    }
}
