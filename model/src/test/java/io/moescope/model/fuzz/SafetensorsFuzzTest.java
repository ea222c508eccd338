package io.moescope.model.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.SafetensorsFile;
import io.moescope.model.io.TensorInfo;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;

/**
 * Fuzzes the safetensors header and tensor table ({@link SafetensorsFile#open}): any bytes either open as a file
 * whose every tensor lies inside it, or are refused with a one-line {@link ModelLoadException}. Over-allocation shows
 * up as an OutOfMemoryError under the small heap of the fuzzing command (docs/reliability.md).
 */
class SafetensorsFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void openRefusesCleanly(byte[] input) {
        Path file = dir.resolve("model.safetensors");
        FuzzFiles.write(file, input);
        SafetensorsFile st;
        try {
            st = SafetensorsFile.open(file);
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
            return;
        }
        for (TensorInfo t : st.tensors().values()) {
            assertTrue(t.offset() >= 8 && t.offset() + t.byteLength() <= st.fileSize(), () -> t + " outside file");
        }
    }
}
