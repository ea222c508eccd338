package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.Transformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's hand-written forward and the engine's runtime forward are the same function: train a few steps from
 * a seed, export, load the export into both, and compare the logits of every prompt position.
 */
class TrainerRuntimeEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void trainerForwardEqualsRuntimeForwardOnTheExportedWeights() throws Exception {
        Path corpus = TinyTraining.corpus(tmp);
        Path out = tmp.resolve("m");
        // aux-free, so the export carries selection biases the runtime router must add too
        BalanceConfig bc = new BalanceConfig(BalanceMode.AUX_FREE, 0, 0, 1, 0.01, false);
        Trainer.run(
                TinyTraining.options(corpus, out, bc, 12)
                        .withSchedule(1e-2, 3, 11)
                        .withRun(null, 300, false, false, 4, 0, 0),
                r -> {});

        try (MoeModel runtime = MoeModel.open(out)) {
            Model trainer = assertSameLogits(out, runtime, "def __init__(self):\n    ROMEO: 97 * 3 = 291");
            boolean biased = false;
            for (MoeLayer m : trainer.moe) {
                for (int e = 0; m != null && e < m.router.bias.length; e++) {
                    biased |= m.router.bias[e] != 0;
                }
            }
            assertTrue(biased, "training moved the aux-free selection biases");
        }
    }

    @Test
    @Timeout(180)
    void shippedModelsLoadIntoTheTrainerAndAgreeWithTheRuntime() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String name : new String[] {"tiny-deepseekmoe", "tiny-deepseekmoe-nobalance"}) {
            Path dir = Path.of("../resources/models", name);
            try (MoeModel runtime = MoeModel.open(dir)) {
                assertSameLogits(dir, runtime, "子曰：学而时习之 def f(x):\n    return 154 + 231");
            }
            List<String> log = Files.readAllLines(dir.resolve("training_log.jsonl"));
            assertFalse(log.isEmpty(), name);
            int last = 0;
            for (String line : log) {
                JsonNode step = json.readTree(line);
                assertTrue(step.get("step").asInt() > last && step.get("loss").isNumber(), name + ": " + line);
                last = step.get("step").asInt();
            }
        }
    }

    /** Runs the prompt (after bos) through both forwards; returns the trainer's model of the directory. */
    private static Model assertSameLogits(Path dir, MoeModel runtime, String prompt) throws Exception {
        int[] text = runtime.requireTokenizer().encode(prompt, false);
        int[] ids = new int[text.length + 1];
        ids[0] = runtime.config().bosTokenId();
        System.arraycopy(text, 0, ids, 1, text.length);
        int vocab = runtime.config().vocabSize();

        Transformer tf = runtime.transformer();
        float[] got = tf.forward(tf.newSession(), ids, true, Intervention.NONE, null); // [T, V]
        Model trainer = ModelDir.load(dir, 1, ids.length);
        float[] want = trainer.logits(ids); // [T, V]
        assertEquals(ids.length * vocab, got.length);
        assertEquals(ids.length * vocab, want.length);
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < want.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(want[i]));
            maxDiff = Math.max(maxDiff, Math.abs(want[i] - got[i]));
        }
        assertTrue(maxAbs > 0.1, "logits are not trivially zero: " + maxAbs);
        assertTrue(
                maxDiff <= 1e-5 * maxAbs, dir + ": max |trainer − runtime| = " + maxDiff + " vs max |logit| " + maxAbs);
        return trainer;
    }
}
