package io.moescope.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.TraceFormatException;
import io.moescope.testkit.ScratchDir;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fuzzes the trace JSONL reader ({@link JsonlTraceReader#readAll}): any bytes replay as events or are refused with a
 * one-line TraceFormatException naming the file (and line). An IOException other than the file vanishing would be
 * a finding too: the bytes are on disk, so a refusal is a format problem the user should read as one.
 */
class TraceJsonlFuzzTest {

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void readAllRefusesCleanly(byte[] input) throws IOException {
        Path file = dir.resolve("trace.jsonl");
        FuzzFiles.write(file, input);
        try {
            JsonlTraceReader.readAll(file);
        } catch (TraceFormatException e) {
            FuzzFiles.assertCleanRejection(e, file);
        }
    }
}
