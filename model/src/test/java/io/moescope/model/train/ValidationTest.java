package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.runtime.MoeModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {
    @TempDir
    Path tmp;

    @Test
    void jensenShannonAndImbalanceMetrics() {
        assertEquals(0.0, Metrics.jensenShannon(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}), 1e-12);
        assertEquals(1.0, Metrics.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-12);
        assertEquals(2.0, Metrics.maxOverMean(new int[] {4, 0, 2, 2}), 1e-12);
        assertEquals(
                Math.log(4),
                Validation.unigram(new int[] {0, 1}, new int[] {2, 3}, 2, 4) + Math.log(1.0 / 6) + Math.log(4),
                1e-12);
    }

    @Test
    @Timeout(60)
    void reportsLossPerDomainAndRoutingStatistics() throws Exception {
        Path corpus = TinyTraining.corpus(tmp);
        Path out = tmp.resolve("m");
        BalanceConfig bc = new BalanceConfig(BalanceMode.AUX_FREE, 0, 0, 1, 0.002, false);
        Trainer.run(
                TinyTraining.options(corpus, out, bc, 30)
                        .withSchedule(1e-2, 5, 3)
                        .withRun(null, 300, false, false, 10, 0, 0),
                r -> {});
        ValidationReport rep = Validation.run(out, corpus);
        assertEquals(4, rep.domains().size());
        for (ValidationReport.DomainResult d : rep.domains()) {
            assertTrue(d.loss() > 0 && d.loss() < 8 && d.unigramLoss() > 0, d.toString());
            assertEquals(rep.windowsPerDomain() * rep.seq(), d.tokens());
        }
        assertEquals(1, rep.layers().size(), "one MoE layer in the tiny model");
        ValidationReport.LayerResult l = rep.layers().get(0);
        int total = 0;
        for (int v : l.load()) {
            total += v;
        }
        assertEquals(4 * rep.windowsPerDomain() * rep.seq() * TinyTraining.TINY.topK(), total);
        assertTrue(l.meanJs() >= 0 && l.meanJs() <= 1);
        assertTrue(l.maxOverMean() >= 1);
        assertEquals(4, l.top1().size());
        String json = rep.toJson();
        assertTrue(json.contains("\"meanJs\"") && json.contains("\"unigramLoss\""), json);
        try (MoeModel model = MoeModel.open(out)) {
            String text = ModelReport.continuation(model, "def ", 8);
            assertFalse(text.isEmpty());
            assertEquals(text, ModelReport.continuation(model, "def ", 8), "greedy decoding is deterministic");
        }
    }
}
