package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diagnose --recording}: the report of a recording equals the report of the trace {@code import} makes. */
class DiagnoseRecordingTest {

    @TempDir
    Path tmp;

    static String recording(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/recording")
                .resolve(name)
                .toString();
    }

    private static JsonNode report(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    }

    @Test
    void aPerTokenDumpDiagnosesLikeItsImportedTrace() throws Exception {
        String[] ranks = {recording("sglang_per_token_0.pt"), recording("sglang_per_token_1.pt")};
        Path trace = tmp.resolve("t.jsonl");
        CliRun imported = CliRun.of(
                "import", ranks[0], ranks[1], "--model-config", recording("config.json"), "--out", trace.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        Path viaTrace = tmp.resolve("a");
        Path direct = tmp.resolve("b");
        CliRun a = CliRun.of(
                "diagnose",
                "--trace",
                trace.toString(),
                "--devices",
                "4",
                "--replicas",
                "4",
                "--out",
                viaTrace.toString());
        assertEquals(0, a.exitCode(), a.err());
        CliRun b = CliRun.of(
                "diagnose",
                "--recording",
                ranks[0],
                ranks[1],
                "--model-config",
                recording("config.json"),
                "--devices",
                "4",
                "--replicas",
                "4",
                "--out",
                direct.toString());
        assertEquals(0, b.exitCode(), b.err());
        JsonNode ra = report(viaTrace);
        JsonNode rb = report(direct);
        assertTrue(rb.get("tokens").asLong() > 0);
        assertEquals(ra.get("tokens"), rb.get("tokens"));
        assertEquals(ra.get("layers"), rb.get("layers"));
        assertTrue(rb.has("placement"), "the EPLB what-if of --devices 4 --replicas 4");
        assertEquals(ra.get("placement"), rb.get("placement"));
        assertEquals(ra.get("overall"), rb.get("overall"));
        assertTrue(Files.exists(direct.resolve("report.html")));
    }

    @Test
    void aStatDumpGivesTheLoadOfItsCounts() throws Exception {
        Path out = tmp.resolve("r");
        CliRun run = CliRun.of(
                "diagnose",
                "--recording",
                recording("sglang_stat.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode expected = new ObjectMapper()
                .readTree(Path.of(recording("expected.json")).toFile())
                .get("sglang_logical_totals");
        long assignments = 0;
        for (JsonNode row : expected.get(1)) {
            assignments += row.asLong();
        }
        assertEquals(assignments / 4, report(out).get("tokens").asLong(), "tokens = assignments of a layer / top-k");
    }

    @Test
    void statDumpsWrittenDuringARunPrintTheirBalancePerWindow() throws Exception {
        Path out = tmp.resolve("w");
        CliRun run = CliRun.of(
                "diagnose",
                "--recording",
                recording("expert_distribution_recorder_1764680400.125.pt"),
                recording("expert_distribution_recorder_1764680460.5.pt"),
                recording("expert_distribution_recorder_1764680521.75.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("load over 3 windows"), run.out());
        java.util.List<String> rows = run.out()
                .lines()
                .filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+\\d+\\s+[0-9.]+\\s+\\d+\\s+[0-9.]+.*"))
                .toList();
        assertEquals(3, rows.size(), run.out());
        // tokens per window: 3, 4 and 5 passes of 6 tokens (the fixture's dumps)
        assertEquals(
                java.util.List.of("18", "24", "30"),
                rows.stream().map(l -> l.trim().split("\\s+")[2]).toList());
        double first = Double.parseDouble(rows.get(0).trim().split("\\s+")[3]);
        double last = Double.parseDouble(rows.get(2).trim().split("\\s+")[3]);
        assertTrue(first < last, "the load drifts to one hot expert per layer: " + run.out());
    }

    @Test
    void oneStatDumpPrintsNoWindowTable() throws Exception {
        CliRun run = CliRun.of(
                "diagnose",
                "--recording",
                recording("sglang_stat.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                tmp.resolve("one").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().contains("load over"), run.err());
    }

    @Test
    void aRecordingThatContradictsTheConfigWritesNoReport() {
        Path out = tmp.resolve("r");
        CliRun run = CliRun.of(
                "diagnose",
                "--recording",
                recording("sglang_stat_6_layers.pt"),
                "--model-config",
                recording("config.json"),
                "--out",
                out.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("6 layers but the model config has 4"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(out.resolve("report.json")));
    }

    @Test
    void aRecordingWithoutItsShapeNeedsItsModelConfig() {
        CliRun run = CliRun.of(
                "diagnose",
                "--recording",
                recording("sglang_stat.pt"),
                "--out",
                tmp.resolve("r").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("sglang_stat.pt: this format carries no model shape"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(tmp.resolve("r").resolve("report.json")));
    }

    /** An Atlas file carries E, top-k and its MoE layers: the diagnosis needs no config.json. */
    @Test
    void anAtlasRecordingNeedsNoModelConfig() throws Exception {
        Path out = tmp.resolve("atlas");
        CliRun run = CliRun.of("diagnose", "--recording", recording("atlas.jsonl"), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path withConfig = tmp.resolve("atlas-config");
        CliRun again = CliRun.of(
                "diagnose",
                "--recording",
                recording("atlas.jsonl"),
                "--model-config",
                recording("config.json"),
                "--out",
                withConfig.toString());
        assertEquals(0, again.exitCode(), again.err());
        JsonNode a = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode b =
                new ObjectMapper().readTree(withConfig.resolve("report.json").toFile());
        assertEquals(b.path("tokens"), a.path("tokens"));
        assertTrue(a.path("tokens").asLong() > 0, a.toString());
        assertEquals(b.path("layers"), a.path("layers"), "the same per-layer load with or without the config");
    }

    @Test
    void aModelConfigWithoutARecordingIsRefused() {
        CliRun run = CliRun.of(
                "diagnose",
                "--trace",
                recording("atlas.jsonl"),
                "--model-config",
                recording("config.json"),
                "--out",
                tmp.resolve("r").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--model-config describes the model of --recording"), run.err());
    }
}
