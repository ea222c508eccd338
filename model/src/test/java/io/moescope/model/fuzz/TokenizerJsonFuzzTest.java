package io.moescope.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * Fuzzes tokenizer.json loading ({@link HfTokenizer#load}): our JSON pre-read and the Hugging Face tokenizers
 * library behind it (native code) either build a tokenizer or refuse with a one-line ModelLoadException. Inputs are
 * bounded by libFuzzer's -max_len (4096 bytes by default, see docs/reliability.md).
 */
class TokenizerJsonFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void loadRefusesCleanly(byte[] input) {
        Path file = dir.resolve("tokenizer.json");
        FuzzFiles.write(file, input);
        try (HfTokenizer tokenizer = HfTokenizer.load(file)) {
            tokenizer.vocabSize();
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
        }
    }
}
