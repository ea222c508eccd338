package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import org.junit.jupiter.api.Test;

/** The with/without comparison of next-token distributions. */
class InterventionComparisonTest {

    @Test
    void noInterventionGivesIdenticalDistributions() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_f32"))) {
            int[] ids = Fixtures.ints(Fixtures.expected("deepseek_f32").get("ids"));
            InterventionComparison.Result r = new InterventionComparison(m).compare(ids, Intervention.NONE);
            assertEquals(0.0, r.klDivergence(), 1e-12);
            assertEquals(0.0, r.totalVariation(), 1e-12);
            assertEquals(-1, r.firstDivergentLayer());
        }
    }

    @Test
    void ablatingTheBusiestExpertShiftsTheDistributionAndNamesTheLayer() throws Exception {
        JsonNode exp = Fixtures.expected("deepseek_f32");
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_f32"))) {
            int[] ids = Fixtures.ints(exp.get("ids"));
            JsonNode firstMoe = exp.get("routing").get(0);
            int layer = firstMoe.get("layer").asInt();
            int expert = firstMoe.get("experts").get(ids.length - 1).get(0).asInt();
            InterventionComparison.Result r =
                    new InterventionComparison(m).compare(ids, Intervention.NONE.withAblation(layer, expert));
            assertTrue(r.klDivergence() > 0, "KL " + r.klDivergence());
            assertTrue(r.totalVariation() > 0 && r.totalVariation() <= 1);
            assertEquals(layer, r.firstDivergentLayer());
            double sum = 0;
            for (double p : r.intervened()) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-9);
            assertTrue(r.top().size() >= 10);
            assertTrue(
                    r.top().get(0).baseline() >= r.top().get(r.top().size() - 1).baseline());
        }
    }
}
