package io.moescope.model.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.gguf.GgufFile;
import io.moescope.model.gguf.GgufTensor;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.LoadProgress;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.Session;
import io.moescope.model.runtime.Transformer;
import io.moescope.model.runtime.WeightMode;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * Fuzzes GGUF files at two depths. The reader ({@link GgufFile#open}): any bytes either open as a file whose every
 * tensor lies inside it (and whose first row decodes, or is refused as a type we cannot decode), or are refused with
 * the one-line error naming the file. The model ({@link MoeModel#open}): a file that opens as a model also runs one
 * token, whatever its metadata claims. Seeds: tools/reference/make_gguf_fuzz_seeds.py.
 */
class GgufFuzzTest {

    /** Far above what the seeds need, far below the fuzzing heap: a claim beyond it is refused, not allocated. */
    private static final long MODEL_BUDGET = 64L << 20;

    /** In memory where the machine allows (ScratchDir): each execution writes a new file (FuzzFiles.writeFresh). */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "GGUF",
        "general.architecture",
        "general.alignment",
        "olmoe",
        "token_embd.weight",
        "blk.0.ffn_gate_exps.weight",
        "tokenizer.ggml.tokens",
        "\u0003\u0000\u0000\u0000"
    })
    void readerRefusesCleanly(byte[] input) {
        Path file = FuzzFiles.writeFresh(dir, "model.gguf", input);
        try (GgufFile gguf = GgufFile.open(file)) {
            for (GgufTensor t : gguf.tensors().values()) {
                assertTrue(
                        t.fileOffset() >= 0 && t.fileOffset() + t.byteSize() <= input.length,
                        () -> t.name() + " lies outside the file");
                assertEquals(0, t.fileOffset() % gguf.alignment(), () -> t.name() + " is misaligned");
                decodeFirstRow(gguf, t, file);
            }
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
        }
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "olmoe.expert_count",
        "olmoe.expert_used_count",
        "olmoe.block_count",
        "olmoe.embedding_length",
        "olmoe.attention.head_count",
        "olmoe.attention.head_count_kv",
        "olmoe.feed_forward_length",
        "olmoe.context_length",
        "tokenizer.ggml.merges",
        "mixtral",
        "deepseek2",
        "qwen2moe",
        "llama"
    })
    void modelRefusesCleanly(byte[] input) {
        Path file = FuzzFiles.writeFresh(dir, "fuzz.gguf", input);
        try (MoeModel model = MoeModel.open(file, MODEL_BUDGET, WeightMode.AUTO, LoadProgress.NONE, () -> false)) {
            Transformer t = model.transformer();
            Session session = t.newSession();
            float[] logits = t.forward(session, new int[] {0}, false, null, null);
            assertEquals(model.config().vocabSize(), logits.length);
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
        }
    }

    private static void decodeFirstRow(GgufFile gguf, GgufTensor t, Path file) {
        QuantizedMatrix m;
        try {
            m = gguf.matrix(t.name());
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
            return;
        }
        if (m.rows() > 0 && m.cols() > 0 && m.cols() <= (1 << 20)) {
            m.dequantizeRow(0, new float[m.cols()]);
        }
    }
}
