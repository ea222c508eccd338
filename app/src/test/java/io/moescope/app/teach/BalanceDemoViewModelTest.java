package io.moescope.app.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.train.DemoRecipe;
import io.moescope.viz.data.HeatmapSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The balancing view model without a window: the test thread is the UI thread (it runs what the view model
 * posts), the demo trains the real demo recipe on the shipped demo corpus.
 */
class BalanceDemoViewModelTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private final List<String> problems = new ArrayList<>();
    private BalanceDemoViewModel vm;

    private BalanceDemoViewModel viewModel(int steps) {
        vm = new BalanceDemoViewModel(
                ui::add,
                (t, m) -> problems.add(t + ": " + m),
                listener -> new BalanceDemo(
                        BalanceDemoViewModel.setup(
                                REPO.resolve(BalanceDemoViewModel.DEMO_CORPUS),
                                REPO.resolve("resources/models/tiny-deepseekmoe/tokenizer.json"),
                                steps),
                        listener));
        return vm;
    }

    @AfterEach
    void tearDown() {
        if (vm != null) {
            vm.close();
        }
    }

    /** Runs the UI work until the condition holds. */
    private void pumpUntil(BooleanSupplier done, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            assertTrue(
                    System.nanoTime() < end,
                    "timed out; state " + vm.stateProperty().get());
            Runnable r = ui.poll(100, TimeUnit.MILLISECONDS);
            if (r != null) {
                r.run();
            }
        }
    }

    private static boolean demoThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("moe-balance-demo") && t.isAlive());
    }

    @Test
    @Timeout(300)
    void withoutBalancingTheRouterCollapsesAndBothCuresStayBalanced() throws Exception {
        viewModel(40).start();
        assertEquals(BalanceDemoViewModel.State.STARTING, vm.stateProperty().get());
        pumpUntil(() -> vm.stateProperty().get() == BalanceDemoViewModel.State.FINISHED, 280);
        assertTrue(problems.isEmpty(), problems::toString);
        BalanceDemoViewModel.Frame f = vm.frameProperty().get();
        assertEquals(3, f.copies().size());
        for (BalanceTrack.View v : f.copies()) {
            assertEquals(40, v.size(), v.label());
            assertEquals(2, v.heatmaps().size(), "one heatmap per MoE layer");
            HeatmapSnapshot h = v.heatmaps().get(0).snapshot();
            assertEquals(8, h.rows(), "experts");
            assertEquals(40, h.cols(), "steps");
            for (int s = 0; s < 40; s++) {
                double sum = 0;
                for (int e = 0; e < 8; e++) {
                    sum += h.value(e, s);
                }
                assertEquals(8.0, sum, 1e-3, "load ÷ mean sums to E in every step");
            }
        }
        double none = f.copies().get(0).lastMaxOverMean();
        double aux = f.copies().get(1).lastMaxOverMean();
        double free = f.copies().get(2).lastMaxOverMean();
        assertTrue(none > 3.0, "no balancing collapses: max/mean " + none);
        assertTrue(aux < 2.0 && free < none - 1, "aux " + aux + ", aux-free " + free + ", none " + none);
        assertTrue(Arrays.stream(f.copies().get(1).balanceLoss()).allMatch(b -> b > 0), "the aux loss is reported");
        assertTrue(Arrays.stream(f.copies().get(0).balanceLoss()).allMatch(b -> b == 0));
        assertEquals(
                f.copies().get(0).loss()[0],
                f.copies().get(2).loss()[0],
                1e-6,
                "same seed, same first batch: the copies start equal");
        assertFalse(demoThreadAlive());
    }

    @Test
    @Timeout(300)
    void pauseHoldsTheCopiesResumeGoesOnAndStopEndsTheThread() throws Exception {
        viewModel(10_000).start();
        pumpUntil(() -> vm.slowest() >= 2, 200);
        assertEquals(BalanceDemoViewModel.State.RUNNING, vm.stateProperty().get());
        vm.pause();
        assertEquals(BalanceDemoViewModel.State.PAUSED, vm.stateProperty().get());
        pumpUntil(vm::holding, 60); // the round in progress finishes first
        pumpUntil(ui::isEmpty, 10);
        int held = vm.slowest();
        long again = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        pumpUntil(() -> System.nanoTime() > again, 10);
        assertEquals(held, vm.slowest(), "paused: no step in 3 s");
        vm.resume();
        assertEquals(BalanceDemoViewModel.State.RUNNING, vm.stateProperty().get());
        pumpUntil(() -> vm.slowest() >= held + 2, 200);
        vm.stop().get(60, TimeUnit.SECONDS);
        pumpUntil(() -> vm.stateProperty().get() == BalanceDemoViewModel.State.STOPPED, 30);
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (demoThreadAlive() && System.nanoTime() < wait) {
            Thread.sleep(20);
        }
        assertFalse(demoThreadAlive(), "the demo thread has ended");
        int steps = vm.frameProperty().get().copies().get(0).size();
        assertTrue(
                vm.frameProperty().get().copies().stream().allMatch(v -> Math.abs(v.size() - steps) <= 1),
                "the copies stay level");
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void theShippedLogsReplayWithoutTraining() {
        System.setProperty("moescope.home", REPO.toString());
        try {
            assertTrue(viewModel(1).replayShipped());
        } finally {
            System.clearProperty("moescope.home");
        }
        assertEquals(BalanceDemoViewModel.State.REPLAY, vm.stateProperty().get());
        BalanceDemoViewModel.Frame f = vm.frameProperty().get();
        assertEquals(60, f.copies().get(0).size(), "no balancing: 60 log lines (one per 50 steps)");
        assertEquals(0, f.copies().get(1).size(), "no shipped aux-loss model");
        assertEquals(60, f.copies().get(2).size(), "aux-free");
        assertEquals(3, f.copies().get(0).heatmaps().size(), "MoE layers 1-3");
        assertEquals(16, f.copies().get(0).heatmaps().get(0).snapshot().rows());
        assertEquals("step 3000", f.copies().get(0).heatmaps().get(0).snapshot().colLabel(59));
        assertTrue(f.caption().contains("60 lines, each the sum of 50 steps"), f.caption());
        assertEquals(4f, f.maxShare(), "16 experts, top-4");
        double none = mean(f.copies().get(0).maxOverMean());
        double free = mean(f.copies().get(2).maxOverMean());
        assertTrue(none > free + 0.5, "no balancing " + none + " vs aux-free " + free);
        assertFalse(demoThreadAlive(), "a replay trains nothing");
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void aBadLogIsOneReportedLineAndTheViewStays(@TempDir Path tmp) throws Exception {
        viewModel(1);
        BalanceDemoViewModel.Frame before = vm.frameProperty().get();
        Path bad = tmp.resolve("training_log.jsonl");
        Files.writeString(bad, "{\"step\": \"one\"}\n");
        assertFalse(vm.replay(Arrays.asList(bad, null, null)));
        assertEquals(
                List.of("Cannot replay the training log: " + bad + ": line 1: \"step\" must be a whole number ≥ 1"),
                problems);
        assertEquals(before, vm.frameProperty().get());
        assertEquals(BalanceDemoViewModel.State.IDLE, vm.stateProperty().get());
    }

    @Test
    void aMissingCorpusEndsTheDemoWithOneProblem(@TempDir Path tmp) throws Exception {
        vm = new BalanceDemoViewModel(
                ui::add,
                (t, m) -> problems.add(t + ": " + m),
                listener -> new BalanceDemo(
                        BalanceDemoViewModel.setup(
                                tmp.resolve("none"),
                                REPO.resolve("resources/models/tiny-deepseekmoe/tokenizer.json"),
                                DemoRecipe.STEPS),
                        listener));
        vm.start();
        pumpUntil(() -> vm.stateProperty().get() == BalanceDemoViewModel.State.FAILED, 30);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("none: the demo corpus is missing"), problems.get(0));
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }
}
