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
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/recording")
                .resolve(name)
                .toString();
    }

    @Test
    void importWritesATraceThatDiagnoseReads() throws Exception {
        Path trace = tmp.resolve("trace.jsonl");
        Path plan = tmp.resolve("plan.json");
        Path atlas = tmp.resolve("atlas.jsonl");
        CliRun run = CliRun.of(
                "import",
                recording("sglang_per_token_0.pt"),
                recording("sglang_per_token_1.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                trace.toString(),
                "--atlas-out",
                atlas.toString(),
                "--sglang-init-out",
                plan.toString(),
                "--devices",
                "2",
                "--replicas",
                "4");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.readString(trace).startsWith("{\"type\":\"header\",\"format\":\"moescope-trace\""));
        assertTrue(Files.readString(plan).startsWith("{\"physical_to_logical_map\":"));
        assertEquals(7, Files.readAllLines(atlas).size());
        CliRun diagnose = CliRun.of(
                "diagnose",
                "--trace",
                trace.toString(),
                "--out",
                tmp.resolve("report").toString());
        assertEquals(0, diagnose.exitCode(), diagnose.err());
        assertTrue(Files.exists(tmp.resolve("report").resolve("report.json")));
    }

    /** import → .pt → import: the logical_count .pt SGLang reads is a stat recording of the same counts. */
    @Test
    void countsRoundTripThroughTheTorchFileSglangReads() throws Exception {
        Path counts = tmp.resolve("counts.pt");
        CliRun first = CliRun.of(
                "import",
                recording("sglang_per_token_0.pt"),
                recording("sglang_per_token_1.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                tmp.resolve("a.jsonl").toString(),
                "--sglang-init-out",
                counts.toString());
        assertEquals(0, first.exitCode(), first.err());
        Path again = tmp.resolve("b.jsonl");
        CliRun second = CliRun.of(
                "import",
                counts.toString(),
                "--model-config",
                recording("config.json"),
                "--out",
                again.toString(),
                "--sglang-init-out",
                tmp.resolve("counts.json").toString());
        assertEquals(0, second.exitCode(), second.err());
        com.fasterxml.jackson.databind.JsonNode want = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of(recording("expected.json")).toFile())
                .get("sglang_logical_totals");
        com.fasterxml.jackson.databind.JsonNode got = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(tmp.resolve("counts.json").toFile())
                .get("logical_count");
        assertEquals(want, got);
    }

    /** The EPLB plan as .pt holds the same placement as the JSON form; vLLM gets its --eplb-config. */
    @Test
    void thePlanAsTorchFileEqualsTheJsonPlan() throws Exception {
        Path pt = tmp.resolve("plan.pt");
        Path json = tmp.resolve("plan.json");
        Path vllm = tmp.resolve("eplb.json");
        for (Path out : new Path[] {pt, json}) {
            CliRun run = CliRun.of(
                    "import",
                    recording("sglang_stat.pt"),
                    "--model-config",
                    recording("config.json"),
                    "--out",
                    tmp.resolve(out.getFileName() + ".jsonl").toString(),
                    "--sglang-init-out",
                    out.toString(),
                    "--devices",
                    "4",
                    "--replicas",
                    "4",
                    "--vllm-eplb-out",
                    vllm.toString(),
                    "--force");
            assertEquals(0, run.exitCode(), run.err());
        }
        com.fasterxml.jackson.databind.JsonNode plan = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.toFile())
                .get("physical_to_logical_map");
        try (io.moescope.model.recording.pickle.TorchFile t = io.moescope.model.recording.pickle.TorchFile.open(
                pt, io.moescope.model.recording.pickle.PickleLimits.DEFAULT)) {
            io.moescope.model.recording.pickle.Tensor map = (io.moescope.model.recording.pickle.Tensor)
                    ((java.util.Map<?, ?>) t.root()).get("physical_to_logical_map");
            assertEquals(plan.size(), map.size(0));
            assertEquals(20, map.size(1));
            long[] flat = map.toLongs();
            for (int l = 0; l < plan.size(); l++) {
                for (int p = 0; p < 20; p++) {
                    assertEquals(plan.get(l).get(p).asLong(), flat[l * 20 + p]);
                }
            }
        }
        assertEquals(
                "{\"window_size\":1000,\"step_interval\":3000,\"num_redundant_experts\":4,"
                        + "\"log_balancedness\":true}",
                Files.readString(vllm));
    }

    @Test
    void aRefusedRecordingWritesNothing() {
        Path trace = tmp.resolve("trace.jsonl");
        CliRun run = CliRun.of(
                "import",
                recording("sglang_stat.pt"),
                recording("reject_os_system.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                trace.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("refused global posix.system"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(trace));
    }

    /** An Atlas file carries its MoE layers, experts and top-k; the trace header says what it implied. */
    @Test
    void anAtlasRecordingImportsWithoutAModelConfigAndOthersAreRefused() throws Exception {
        Path trace = tmp.resolve("atlas-trace.jsonl");
        CliRun run = CliRun.of("import", recording("atlas.jsonl"), "--out", trace.toString());
        assertEquals(0, run.exitCode(), run.err());
        com.fasterxml.jackson.databind.JsonNode header = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readAllLines(trace).get(0));
        assertEquals("[1,2,3]", header.get("moe_layers").toString(), header.toString());
        assertEquals(4, header.get("num_layers").asInt());
        assertEquals("fixture/deepseek-tiny", header.get("model_type").asText());

        Path refused = tmp.resolve("refused.jsonl");
        CliRun stat = CliRun.of("import", recording("sglang_stat.pt"), "--out", refused.toString());
        assertEquals(2, stat.exitCode());
        assertTrue(stat.err().contains("sglang_stat.pt: this format carries no model shape"), stat.err());
        assertEquals(1, stat.err().strip().lines().count(), stat.err());
        assertFalse(Files.exists(refused));
    }
}
