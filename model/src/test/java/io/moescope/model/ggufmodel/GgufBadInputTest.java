package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.gguf.GgufFile;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.LoadProgress;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.WeightMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Model-level faults of a GGUF file (tools/reference/make_gguf_bad.py) are one line naming the file and the fault. */
class GgufBadInputTest {

    private static final Path BAD = Path.of("src/test/resources/gguf/bad");

    @Test
    void theUnspoiledFileOpens() throws Exception {
        try (MoeModel m = MoeModel.open(BAD.resolve("good.gguf"))) {
            assertEquals("olmoe", m.config().family().modelType());
            assertEquals(4, m.config().routedExperts());
            assertTrue(m.summary().startsWith("GGUF olmoe, F32 100 %"), m.summary());
            assertEquals(16, m.tokenizer().vocabSize());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown_arch.gguf|unknown architecture 'falcon9'; MoE Scope opens GGUF files of",
                "missing_key.gguf|missing required key 'olmoe.embedding_length'",
                "experts_vs_shape.gguf|tensor 'blk.0.ffn_gate_inp.weight' has shape [4, 32] but its metadata implies [8, 32]",
                "vocab_vs_embedding.gguf|the vocabulary has 20 tokens but token_embd.weight has 16 rows"
            })
    void faultsAreOneLineNamingTheFile(String file, String problem) {
        ModelLoadException e = assertThrows(
                ModelLoadException.class, () -> MoeModel.open(BAD.resolve(file)).close());
        assertTrue(e.getMessage().startsWith(BAD.resolve(file) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    @Test
    void aModelThatCannotFitIsRefusedWithTheEstimateAndTheBudget() {
        Path file = GgufRuns.MODELS.resolve("olmoe.f32.gguf");
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> MoeModel.open(file, 100_000, WeightMode.AUTO, LoadProgress.NONE, () -> false)
                        .close());
        assertTrue(
                e.getMessage()
                        .matches(
                                ".*needs about [0-9.]+ MB of memory \\([0-9.]+ MB on the heap \\+ [0-9.]+ MB "
                                        + "mapped from the file\\) but only 0\\.1 MB is allowed by the memory budget; nothing was loaded"),
                e.getMessage());
    }

    @Test
    void theTensorsNamedAreLimitedToTheBlocksTheFileHas() throws Exception {
        // a block_count of thousands costs one pass over the tensors, not a name look-up per layer and tensor kind
        try (GgufFile f = GgufFile.open(BAD.resolve("good.gguf"))) {
            assertEquals(1, GgufSource.blocksPresent(f)); // blk.0.* only, as olmoe.block_count says
        }
    }
}
