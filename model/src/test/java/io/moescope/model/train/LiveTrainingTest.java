package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A live copy trains exactly as Trainer does, and the log Trainer writes reads back as the reports it sent. */
class LiveTrainingTest {

    @TempDir
    Path tmp;

    private TrainOptions options(Path out, BalanceMode mode, int steps) throws IOException {
        BalanceConfig bc = new BalanceConfig(mode, 0.05, 0, 1, 0.01, false);
        return TinyTraining.options(TinyTraining.corpus(tmp), out, bc, steps)
                .withSchedule(1e-2, 5, 7)
                .withRun(null, 300, false, false, 1, 0, 0);
    }

    @Test
    @Timeout(120)
    void liveCopiesFollowTrainerStepForStepAndTheLogReadsBack() throws Exception {
        for (BalanceMode mode : BalanceMode.values()) {
            Path out = tmp.resolve("model-" + mode.label());
            TinyTraining.Recorder rec = new TinyTraining.Recorder();
            TrainOptions o = options(out, mode, 12);
            Trainer.run(o, rec);
            Path tok = out.resolve("tokenizer.json");
            Corpus corpus = Corpus.load(Corpus.files(o.corpusDir()), tok, 0);
            LiveTraining live = new LiveTraining(o, corpus);
            List<StepReport> log = TrainingLog.read(out.resolve("training_log.jsonl"));
            assertEquals(12, log.size());
            for (int s = 0; s < 12; s++) {
                StepReport want = rec.reports.get(s);
                StepReport got = live.step();
                assertEquals(s + 1, got.step());
                assertEquals(want.loss(), got.loss(), 0.0, mode + " step " + (s + 1));
                assertEquals(want.balanceLoss(), got.balanceLoss(), 0.0);
                for (int l = 0; l < want.loads().length; l++) {
                    assertArrayEquals(want.loads()[l], got.loads()[l], mode + " step " + (s + 1) + " layer " + l);
                    assertArrayEquals(want.loads()[l], log.get(s).loads()[l], "log line " + (s + 1));
                }
                assertEquals(want.loss(), log.get(s).loss(), 0.0);
                assertEquals(want.domainLoss(), log.get(s).domainLoss());
                assertArrayEquals(want.imbalance(), log.get(s).imbalance(), 1e-12);
                assertEquals(12, log.get(s).totalSteps());
            }
            assertTrue(live.done());
            assertThrows(IllegalStateException.class, live::step);
            if (mode == BalanceMode.AUX) {
                assertTrue(rec.reports.get(0).balanceLoss() > 0);
            }
        }
    }

    @Test
    void theShippedLogsRead() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        for (String m : List.of("tiny-deepseekmoe", "tiny-deepseekmoe-nobalance")) {
            List<StepReport> log = TrainingLog.read(repo.resolve("resources/models/" + m + "/training_log.jsonl"));
            assertEquals(60, log.size(), m);
            assertEquals(50, log.get(0).step());
            assertEquals(3000, log.get(59).totalSteps());
            assertEquals(0, log.get(0).loads()[0].length, "layer 0 is dense");
            for (int l = 1; l <= 3; l++) {
                assertEquals(16, log.get(0).loads()[l].length);
                // 50 steps × 1024 tokens × top-4
                assertEquals(
                        50 * 1024 * 4,
                        java.util.Arrays.stream(log.get(0).loads()[l]).sum(),
                        m + " L" + l);
            }
        }
    }

    @Test
    void aBadLogIsOneLineNamingTheFile() throws Exception {
        String[][] cases = {
            {"", "no logged steps"},
            {"{\"step\":2}\n{\"step\":1}", "line 2: step 1 after step 2"},
            {"{\"step\":0}", "line 1: \"step\" must be a whole number ≥ 1"},
            {"[1]", "line 1: each line must be a JSON object"},
            {"{\"step\":1,", "line 1: not valid JSON"},
            {"{\"step\":1,\"loss\":\"x\"}", "line 1: \"loss\" must be a number"},
            {"{\"step\":1,\"expert_load\":{\"99999\":[1]}}", "is not a layer number below 1024"},
            {"{\"step\":1,\"expert_load\":{\"1\":[1,-2]}}", "must hold counts ≥ 0"},
        };
        for (String[] c : cases) {
            Path f = tmp.resolve("training_log.jsonl");
            Files.writeString(f, c[0]);
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> TrainingLog.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }
}
