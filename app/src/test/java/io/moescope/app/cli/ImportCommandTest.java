package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {

    @TempDir
    Path tmp;

    private static String recording(String name) {
        return Path.of("").toAbsolutePath().resolveSibling("model").resolve("src/test/resources/recording").resolve(name)
                .toString();
    }

    @Test
    void importWritesATraceThatDiagnoseReads() throws Exception {
        Path trace = tmp.resolve("trace.jsonl");
        Path plan = tmp.resolve("plan.json");
        Path atlas = tmp.resolve("atlas.jsonl");
        CliRun run = CliRun.of("import", recording("sglang_per_token_0.pt"), recording("sglang_per_token_1.pt"),
                "--model-config", recording("config.json"), "--out", trace.toString(), "--atlas-out", atlas.toString(),
                "--sglang-init-out", plan.toString(), "--devices", "2", "--replicas", "4");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.readString(trace).startsWith("{\"type\":\"header\",\"format\":\"moescope-trace\""));
        assertTrue(Files.readString(plan).startsWith("{\"physical_to_logical_map\":"));
        assertEquals(7, Files.readAllLines(atlas).size());
        CliRun diagnose = CliRun.of("diagnose", "--trace", trace.toString(), "--out", tmp.resolve("report").toString());
        assertEquals(0, diagnose.exitCode(), diagnose.err());
        assertTrue(Files.exists(tmp.resolve("report").resolve("report.json")));
    }

    @Test
    void aRefusedRecordingWritesNothing() {
        Path trace = tmp.resolve("trace.jsonl");
        CliRun run = CliRun.of("import", recording("sglang_stat.pt"), recording("reject_os_system.pt"),
                "--model-config", recording("config.json"), "--out", trace.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("refused global posix.system"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(trace));
    }
}
