package io.moescope.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.testkit.ScratchDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes tokenizer_config.json ({@link HfTokenizer#loadForModel}) beside a valid tokenizer.json: the model's
 * tokenizer either loads (with or without a BOS rule) or is refused with a one-line ModelLoadException.
 */
class TokenizerConfigFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void loadForModelRefusesCleanly(byte[] input) {
        ensureTokenizer();
        Path file = dir.resolve("tokenizer_config.json");
        FuzzFiles.write(file, input);
        try (HfTokenizer tokenizer = HfTokenizer.loadForModel(dir)) {
            tokenizer.encode("a b", true);
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
        }
    }

    /** A small valid byte-level BPE tokenizer.json (with BOS/EOS added tokens) next to the fuzzed config. */
    private static void ensureTokenizer() {
        Path tokenizer = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizer)) {
            return;
        }
        try (InputStream in = TokenizerConfigFuzzTest.class.getResourceAsStream("tokenizer.json")) {
            Files.copy(in, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
