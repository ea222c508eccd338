package io.moescope.app.teach;

import io.moescope.app.session.AppPaths;
import io.moescope.app.session.Problems;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.train.BalanceMode;
import io.moescope.model.train.Corpus;
import io.moescope.model.train.DemoRecipe;
import io.moescope.model.train.LiveTraining;
import io.moescope.model.train.StepReport;
import io.moescope.model.train.TrainingLog;
import io.moescope.viz.fx.FxCoalescer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * State behind the balancing view (Teach → Load balancing): three copies of the demo model, one per balance
 * mode, trained live by a {@link BalanceDemo}, or the shipped models' training logs replayed. Reports arrive on
 * the demo thread, are queued, and are folded in once per UI refresh ({@link FxCoalescer}), so a burst of steps
 * costs one refresh. UI thread, except {@link BalanceDemo.Listener} (any thread).
 */
public final class BalanceDemoViewModel implements AutoCloseable {

    /** What the view is doing. */
    public enum State {
        IDLE,
        STARTING,
        RUNNING,
        PAUSED,
        STOPPING,
        STOPPED,
        FINISHED,
        FAILED,
        REPLAY
    }

    /** The copies, in column order: one per mode, the same seed. */
    static final List<BalanceMode> MODES = List.of(BalanceMode.NONE, BalanceMode.AUX, BalanceMode.AUX_FREE);
    /** Live max/mean is over the last 10 steps' loads (the shipped logs sum 50 steps per line). */
    static final int LIVE_WINDOW = 10;
    /** The demo corpus (a slice of the training corpus) and the tokenizer, relative to the home directory. */
    public static final String DEMO_CORPUS = "resources/demo-corpus";
    /** The shipped logs replayed: no balancing and aux-free; there is no shipped aux-loss model. */
    static final List<String> SHIPPED_LOGS = List.of(
            "resources/models/tiny-deepseekmoe-nobalance/training_log.jsonl",
            "",
            "resources/models/tiny-deepseekmoe/training_log.jsonl");

    /** Everything the view draws at a moment. */
    public record Frame(List<BalanceTrack.View> copies, float maxShare, String caption) {
        public static final Frame EMPTY = new Frame(List.of(), 4f, "");
    }

    private final Executor ui;
    private final Problems problems;
    private final Function<BalanceDemo.Listener, BalanceDemo> demos;
    private final List<BalanceTrack> tracks = new ArrayList<>();
    private final Queue<Object[]> arrived = new ConcurrentLinkedQueue<>(); // {generation, copy, report}
    private final FxCoalescer refresher;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(
            this,
            "status",
            "Start trains three copies of a small MoE side by side; Replay shows the shipped models' logs.");
    private final ReadOnlyObjectWrapper<Frame> frame = new ReadOnlyObjectWrapper<>(this, "frame", Frame.EMPTY);
    private BalanceDemo demo;
    private float maxShare = 4f;
    private String caption = "";
    private long started;
    private int generation; // of the run or replay shown: a stopped run's late reports are dropped

    /**
     * @param ui       runs refreshes on the UI thread ({@code Platform::runLater}; {@code Runnable::run} in tests)
     * @param demos    makes the demo for a listener (the window: {@link #shippedDemo(int)}; tests: fewer steps)
     */
    public BalanceDemoViewModel(Executor ui, Problems problems, Function<BalanceDemo.Listener, BalanceDemo> demos) {
        this.ui = Objects.requireNonNull(ui);
        this.problems = Objects.requireNonNull(problems);
        this.demos = Objects.requireNonNull(demos);
        this.refresher = new FxCoalescer(ui, this::refresh);
        tracks.add(new BalanceTrack("No balancing", LIVE_WINDOW));
        tracks.add(new BalanceTrack("Auxiliary loss (α = " + DemoRecipe.ALPHA + ")", LIVE_WINDOW));
        tracks.add(new BalanceTrack("Aux-loss-free bias (γ = " + DemoRecipe.GAMMA + ")", LIVE_WINDOW));
    }

    /** The demo of {@link DemoRecipe}: the shipped demo corpus and the embedded model's tokenizer, three modes. */
    public static Function<BalanceDemo.Listener, BalanceDemo> shippedDemo(int steps) {
        return listener -> new BalanceDemo(
                setup(
                        AppPaths.home().resolve(DEMO_CORPUS),
                        AppPaths.home().resolve(AppPaths.EMBEDDED_MODEL).resolve("tokenizer.json"),
                        steps),
                listener);
    }

    /** Builds the three copies (on the demo thread): tokenizes the corpus once, one model per mode. */
    public static Callable<List<LiveTraining>> setup(Path corpusDir, Path tokenizer, int steps) {
        return () -> {
            if (!Files.isDirectory(corpusDir)) {
                throw ModelLoadException.at(corpusDir, "the demo corpus is missing");
            }
            if (!Files.isRegularFile(tokenizer)) {
                throw ModelLoadException.at(tokenizer, "the embedded model's tokenizer is missing");
            }
            Corpus corpus = DemoRecipe.corpus(corpusDir, tokenizer);
            int vocab = DemoRecipe.vocab(tokenizer);
            List<LiveTraining> copies = new ArrayList<>();
            for (BalanceMode mode : MODES) {
                copies.add(new LiveTraining(DemoRecipe.options(mode, vocab, steps), corpus));
            }
            return copies;
        };
    }

    /** Starts a fresh live run (stopping a replay or a finished run's display). */
    public void start() {
        if (demo != null && !demo.ended().isDone()) {
            return;
        }
        resetTracks(LIVE_WINDOW);
        maxShare = DemoRecipe.EXPERTS / (float) DemoRecipe.TOP_K;
        caption = "Live: " + DemoRecipe.EXPERTS + " experts, top-" + DemoRecipe.TOP_K + ", seed " + DemoRecipe.SEED
                + "; max/mean over the last " + LIVE_WINDOW + " steps";
        frame.set(new Frame(views(), maxShare, caption));
        state.set(State.STARTING);
        status.set("Starting: tokenizing the demo corpus and building three models…");
        started = System.nanoTime();
        demo = demos.apply(new Listener(generation));
        demo.start();
    }

    public void pause() {
        if (demo != null && state.get() == State.RUNNING) {
            demo.pause();
            state.set(State.PAUSED);
            status.set("Paused at step " + slowest() + ".");
        }
    }

    public void resume() {
        if (demo != null && state.get() == State.PAUSED) {
            demo.resume();
            state.set(State.RUNNING);
            status.set("Training…");
        }
    }

    /** Pause when running, resume when paused. */
    public void togglePause() {
        if (state.get() == State.PAUSED) {
            resume();
        } else {
            pause();
        }
    }

    /** Stops the live run after the step in progress; the future completes once the thread has ended. */
    public CompletableFuture<Void> stop() {
        if (demo == null || demo.ended().isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        state.set(State.STOPPING);
        status.set("Stopping after the current step…");
        return demo.stop();
    }

    /** Replays the shipped models' training logs (no training); a live run is stopped first. */
    public boolean replayShipped() {
        List<Path> logs = new ArrayList<>();
        for (String s : SHIPPED_LOGS) {
            logs.add(s.isEmpty() ? null : AppPaths.home().resolve(s));
        }
        return replay(logs);
    }

    /**
     * Shows training logs in the columns (null: no log for that column). One bad file is one reported line and
     * the view stays as it was.
     */
    public boolean replay(List<Path> logs) {
        List<List<StepReport>> read = new ArrayList<>();
        for (Path log : logs) {
            try {
                read.add(log == null ? List.of() : TrainingLog.read(log));
            } catch (ModelLoadException e) {
                problems.report("Cannot replay the training log", e.getMessage());
                return false;
            }
        }
        stop();
        resetTracks(1);
        float share = 1f;
        for (int i = 0; i < read.size() && i < tracks.size(); i++) {
            for (StepReport r : read.get(i)) {
                tracks.get(i).add(r);
            }
        }
        for (List<StepReport> r : read) {
            share = Math.max(share, r.isEmpty() ? 0f : maxShare(r.get(0)));
        }
        maxShare = share;
        caption = "Replay of the shipped training logs ("
                + read.stream().mapToInt(List::size).max().orElse(0)
                + " lines, each the sum of "
                + stepsPerLine(read)
                + " steps of batch 8 × 128); there is no shipped auxiliary-loss model";
        state.set(State.REPLAY);
        status.set("Replaying the shipped training logs: no training.");
        frame.set(new Frame(views(), maxShare, caption));
        return true;
    }

    /** Steps summed per log line (the logging interval: the first line's step), "20" or "20–50" when logs differ. */
    static String stepsPerLine(List<List<StepReport>> logs) {
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (List<StepReport> log : logs) {
            if (!log.isEmpty()) {
                lo = Math.min(lo, log.get(0).step());
                hi = Math.max(hi, log.get(0).step());
            }
        }
        return hi == 0 ? "0" : lo == hi ? Integer.toString(lo) : lo + "–" + hi;
    }

    /** Stops the live run and waits up to two seconds for its thread (the window closing). */
    @Override
    public void close() {
        if (demo != null) {
            try {
                demo.stopAndJoin(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Paused and the demo thread is waiting: no step is in progress. */
    public boolean holding() {
        return demo != null && state.get() == State.PAUSED && demo.isHolding();
    }

    /** The running demo's thread has ended, or there is none. */
    public CompletableFuture<Void> ended() {
        return demo == null ? CompletableFuture.completedFuture(null) : demo.ended();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Frame> frameProperty() {
        return frame.getReadOnlyProperty();
    }

    /** Steps every copy has done (the columns stay level). */
    public int slowest() {
        return tracks.stream().mapToInt(BalanceTrack::size).min().orElse(0);
    }

    private static float maxShare(StepReport r) {
        for (int[] c : r.loads()) {
            if (c.length > 0) {
                return 4f; // both shipped models: 16 experts, top-4
            }
        }
        return 1f;
    }

    private void resetTracks(int window) {
        generation++;
        arrived.clear();
        for (int i = 0; i < tracks.size(); i++) {
            tracks.set(i, new BalanceTrack(tracks.get(i).label(), window));
        }
    }

    private List<BalanceTrack.View> views() {
        List<BalanceTrack.View> out = new ArrayList<>();
        for (BalanceTrack t : tracks) {
            out.add(t.view(maxShare));
        }
        return out;
    }

    private void refresh() {
        boolean any = false;
        for (Object[] a = arrived.poll(); a != null; a = arrived.poll()) {
            if ((Integer) a[0] == generation) {
                tracks.get((Integer) a[1]).add((StepReport) a[2]);
                any = true;
            }
        }
        if (any) {
            frame.set(new Frame(views(), maxShare, caption));
            if (state.get() == State.RUNNING) {
                double secs = (System.nanoTime() - started) / 1e9;
                status.set(String.format(Locale.ROOT, "Training: step %d, %.0f s", slowest(), secs));
            }
        }
    }

    /** Demo thread → queue → one refresh per UI pulse. */
    private final class Listener implements BalanceDemo.Listener {
        private final int of;

        Listener(int generation) {
            this.of = generation;
        }

        @Override
        public void onStep(int copy, StepReport report) {
            arrived.add(new Object[] {of, copy, report});
            refresher.signal();
        }

        @Override
        public void onMessage(String message) {
            ui.execute(() -> {
                if (of == generation && message.equals("training") && state.get() == State.STARTING) {
                    state.set(State.RUNNING);
                    status.set("Training…");
                }
            });
        }

        @Override
        public void onEnded(boolean finished, Throwable failure) {
            double secs = (System.nanoTime() - started) / 1e9;
            ui.execute(() -> {
                if (of != generation) {
                    return; // a replay has replaced this run
                }
                refresh();
                if (failure != null) {
                    state.set(State.FAILED);
                    status.set("The demo stopped: " + failure.getMessage());
                    problems.report("The balancing demo failed", null, failure);
                } else {
                    state.set(finished ? State.FINISHED : State.STOPPED);
                    status.set(String.format(
                            Locale.ROOT,
                            "%s at step %d after %.0f s.",
                            finished ? "Finished" : "Stopped",
                            slowest(),
                            secs));
                }
            });
        }
    }
}
