package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CI smoke test: a tiny DeepSeekMoE trains for a few dozen steps on a slice of the corpus and its loss falls. */
class TrainerSmokeTest {

    @TempDir
    Path tmp;

    private TrainOptions options(Path out, BalanceMode mode, int steps) throws IOException {
        BalanceConfig bc = new BalanceConfig(mode, 0.01, 0.01, 2, 0.002, false);
        return TinyTraining.options(TinyTraining.corpus(tmp), out, bc, steps)
                .withSchedule(1e-2, 5, 7)
                .withRun(null, 300, false, false, 5, 10, 0);
    }

    @Test
    @Timeout(60)
    void lossFallsAndExportIsAHuggingFaceDirectory() throws IOException {
        Path out = tmp.resolve("model");
        TinyTraining.Recorder rec = new TinyTraining.Recorder();
        TrainResult r = Trainer.run(options(out, BalanceMode.AUX, 40), rec);
        double first = rec.reports.get(0).loss();
        double last = rec.reports.get(rec.reports.size() - 1).loss();
        assertTrue(last < first - 0.5, "loss falls: " + first + " → " + last);
        assertEquals(4, rec.reports.get(0).domainLoss().size());
        assertTrue(rec.reports.get(0).balanceLoss() > 0, "aux balance loss is reported");
        assertEquals(40, r.steps());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "training_log.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("deepseek", cfg.get("model_type").asText());
        assertEquals(8, cfg.get("n_routed_experts").asInt());
        assertTrue(!cfg.get("norm_topk_prob").asBoolean()
                && !cfg.get("tie_word_embeddings").asBoolean());
        Map<String, float[]> w = Safetensors.read(out.resolve("model.safetensors"));
        assertTrue(w.containsKey("model.layers.1.mlp.experts.7.down_proj.weight"));
        assertTrue(w.containsKey("model.layers.1.mlp.shared_experts.up_proj.weight"));
        assertTrue(w.containsKey("model.layers.0.mlp.gate_proj.weight"));
        assertEquals(8, Files.readAllLines(out.resolve("training_log.jsonl")).size());
        assertThrows(
                IllegalStateException.class,
                () -> Trainer.run(options(out, BalanceMode.AUX, 40), rec),
                "refuses an existing output directory");
    }

    @Test
    @Timeout(60)
    void resumeAfterCrashReproducesTheUninterruptedRun() throws IOException {
        Path a = tmp.resolve("a");
        Trainer.run(options(a, BalanceMode.AUX_FREE, 30), new TinyTraining.Recorder());
        Path b = tmp.resolve("b");
        TinyTraining.Recorder crash = new TinyTraining.Recorder();
        crash.failAt = 20;
        assertThrows(IllegalStateException.class, () -> Trainer.run(options(b, BalanceMode.AUX_FREE, 30), crash));
        assertTrue(Files.exists(b.resolveSibling("b.work").resolve("checkpoint.bin")));
        TrainOptions resume = options(b, BalanceMode.AUX_FREE, 30).withRun(null, 300, false, true, 5, 10, 0);
        TrainResult r = Trainer.run(resume, new TinyTraining.Recorder());
        assertEquals(20, r.stepsThisRun(), "continued from the step-10 checkpoint");
        Map<String, float[]> wa = Safetensors.read(a.resolve("model.safetensors"));
        Map<String, float[]> wb = Safetensors.read(b.resolve("model.safetensors"));
        assertEquals(wa.keySet(), wb.keySet());
        assertTrue(wa.containsKey("model.layers.1.mlp.gate.e_score_correction_bias"));
        for (String k : wa.keySet()) {
            assertArrayEquals(wa.get(k), wb.get(k), 2e-3f, k);
        }
    }
}
