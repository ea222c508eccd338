package io.moescope.app.granularity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The comparison on the two shipped models (no window: both executors run in place): the figures are the models'
 * own validation.json, the routing is the engine's on the prompt, and the mixing and combination figures follow.
 */
class GranularityViewModelTest {

    static final Path EMBEDDED = Path.of("..", "resources", "models", "tiny-deepseekmoe")
            .toAbsolutePath()
            .normalize();
    static final Path FINE = EMBEDDED;
    static final Path COARSE = GranularityViewModel.coarseTwin(EMBEDDED);

    private final GranularityViewModel vm =
            new GranularityViewModel(FINE, COARSE, Runnable::run, Runnable::run, () -> null);

    @AfterEach
    void close() {
        vm.close();
    }

    @Test
    void bothModelsRunTheSamePromptWithTheSameExpertBudget() throws Exception {
        vm.run();
        GranularityReport r = vm.reportProperty().get();
        assertNotNull(r, vm.statusProperty().get());
        PromptRouting fine = r.fine().routing();
        PromptRouting coarse = r.coarse().routing();
        assertEquals(fine.tokens(), coarse.tokens(), "same tokenizer, same tokens");
        assertEquals(16, fine.shape().routedExperts());
        assertEquals(4, fine.shape().topK());
        assertEquals(2, fine.shape().sharedExperts());
        assertEquals(6, coarse.shape().routedExperts());
        assertEquals(2, coarse.shape().topK());
        assertEquals(0, coarse.shape().sharedExperts());
        // same total and active expert parameters: (16 + 2)·128 = 6·384, (4 + 2)·128 = 2·384
        assertEquals((16 + 2) * 128, 6 * 384);
        assertEquals((4 + 2) * 128, 2 * 384);
        assertTrue(vm.title(true).startsWith("tiny-deepseekmoe: 16 routed experts, top-4 + 2 shared"), vm.title(true));
        assertTrue(vm.title(false).startsWith("tiny-deepseekmoe-coarse: 6 routed experts, top-2, no shared"));
        assertTrue(
                vm.statusProperty().get().contains("weight held by ranks 2..k"),
                vm.statusProperty().get());
    }

    @Test
    void figuresComeFromEachModelsValidationReport() throws Exception {
        vm.run();
        for (boolean side : new boolean[] {true, false}) {
            Path dir = side ? FINE : COARSE;
            ValidationFigures f = ValidationFigures.read(dir);
            BarsSnapshot loss = vm.loss(side);
            assertEquals(4, loss.size());
            assertEquals(f.domains().get(0), loss.label(0));
            for (int d = 0; d < 4; d++) {
                assertEquals(f.loss()[d], loss.value(d));
                assertTrue(loss.value(d) > 0.5 && loss.value(d) < 6.5, "a trained model's loss: " + loss.value(d));
            }
            BarsSnapshot js = vm.js(side);
            assertEquals(3, js.size(), "three MoE layers");
            assertEquals("L1", js.label(0));
        }
    }

    @Test
    void routingOfTheSameTokensAndTheirCombinations() {
        vm.run();
        GranularityReport r = vm.reportProperty().get();
        for (int layer = 0; layer < 3; layer++) {
            vm.layerProperty().set(layer);
            HeatmapSnapshot fine = vm.routing(true);
            HeatmapSnapshot coarse = vm.routing(false);
            assertEquals(fine.rows(), coarse.rows());
            assertEquals(16, fine.cols());
            assertEquals(6, coarse.cols());
            for (int p = 0; p < fine.rows(); p++) {
                float sum = 0;
                for (int e = 0; e < 16; e++) {
                    sum += fine.values()[p * 16 + e];
                }
                assertEquals(1f, sum, 1e-3f, "normalised top-4: the chosen weights sum to 1 (position " + p + ")");
            }
            int fineSets = RoutingMix.combinations(r.fine().routing(), layer).size();
            int coarseSets =
                    RoutingMix.combinations(r.coarse().routing(), layer).size();
            assertTrue(coarseSets <= 15, "C(6, 2) = 15 sets at most");
            assertTrue(
                    fineSets > coarseSets,
                    "layer " + layer + ": fine-grained routing uses more combinations (" + fineSets + " vs "
                            + coarseSets + ")");
            assertTrue(
                    vm.combinations(true)
                            .startsWith(
                                    fineSets + " distinct expert sets for " + fine.rows() + " tokens (1,820 possible)"),
                    vm.combinations(true));
        }
    }

    @Test
    void theFineGrainedModelSpreadsItsWeightOverMoreExperts() {
        vm.run();
        GranularityReport r = vm.reportProperty().get();
        float[] ranks = RoutingMix.rankShares(r.fine().routing());
        assertEquals(4, ranks.length);
        assertTrue(ranks[0] > ranks[1] && ranks[1] > ranks[2] && ranks[2] > ranks[3]);
        float fine = GranularityCharts.sharedBeyondFirst(r.fine().routing());
        float coarse = GranularityCharts.sharedBeyondFirst(r.coarse().routing());
        // measured on the default prompt: 0.29 (fine, ranks 2..4) vs the coarse model's rank 2
        assertTrue(fine > coarse && fine > 0.2f, "fine " + fine + ", coarse " + coarse);
    }

    @Test
    void aMissingTwinIsOneLine() {
        GranularityViewModel missing = new GranularityViewModel(
                FINE, FINE.resolveSibling("no-such-model"), Runnable::run, Runnable::run, () -> null);
        missing.run();
        assertEquals(null, missing.reportProperty().get());
        String status = missing.statusProperty().get();
        assertTrue(status.contains("no-such-model") && !status.contains("\n"), status);
        missing.close();
    }

    @Test
    void followsTheWindowsPromptOnlyWhileShown() {
        String[] current = {"ROMEO:\n"};
        GranularityViewModel follow =
                new GranularityViewModel(FINE, COARSE, Runnable::run, Runnable::run, () -> current[0]);
        follow.promptChanged();
        assertEquals(null, follow.reportProperty().get(), "hidden: nothing runs");
        follow.activeProperty().set(true);
        assertEquals("ROMEO:\n", follow.reportProperty().get().prompt());
        current[0] = "def f(x):";
        follow.promptChanged();
        assertEquals("def f(x):", follow.reportProperty().get().prompt());
        assertEquals("def f(x):", follow.promptProperty().get());
        follow.close();
    }
}
