package io.moescope.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.app.cli.MoeScopeCli;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.DiagnosisReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The diagnose command on the tiny DeepSeekMoE fixture (16 experts, top-4, MoE layers 1-3) with .ids corpora. */
class DiagnoseCommandTest {

    static final Path MODEL = Path.of("../model/src/test/resources/fixtures/deepseek_f32");

    @TempDir
    Path dir;

    private Path corpus(String name, int docs, int length, int range) throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(name.hashCode());
        for (int d = 0; d < docs; d++) {
            for (int t = 0; t < length; t++) {
                sb.append(t == 0 ? "" : " ").append(3 + rnd.nextInt(range));
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    private int run(StringWriter err, String... args) {
        CommandLine cl = MoeScopeCli.commandLine();
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void writesTheWholeReport() throws Exception {
        Path a = corpus("a.ids", 3, 40, 120);
        Path b = corpus("b.ids", 2, 30, 10);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int rc = run(
                err,
                "diagnose",
                "--model",
                MODEL.toString(),
                "--corpus",
                a.toString(),
                b.toString(),
                "--devices",
                "4",
                "--nodes",
                "2",
                "--replicas",
                "4",
                "--out",
                out.toString());
        assertEquals(0, rc, err.toString());
        JsonNode r = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(180, r.get("tokens").asInt());
        assertEquals(5, r.get("sequences").asInt());
        assertEquals(3, r.get("layers").size());
        JsonNode l = r.get("layers").get(0);
        long sum = 0;
        for (JsonNode c : l.get("counts")) {
            sum += c.asLong();
        }
        assertEquals(180 * 4, sum);
        for (String key : List.of("switch_aux", "deepseek_expert", "deepseek_device", "deepseek_v3_seq", "z_loss")) {
            assertTrue(l.get("losses").get(key).isNumber(), key);
        }
        JsonNode p = r.get("placement");
        assertEquals(3, p.get("eplb").get("gpu_loads").size());
        assertEquals(4, p.get("contiguous").get("gpu_loads").get(0).size());
        assertEquals(20, sumOf(p.get("eplb").get("replica_counts").get(0)));
        assertTrue(p.get("eplb").get("balancedness").asDouble()
                >= p.get("contiguous").get("balancedness").asDouble());
        assertEquals(2, r.get("domains").size());
        for (String f : List.of(
                "report.html",
                "layers.csv",
                "expert_load.csv",
                "coactivation_layer1.csv",
                "coactivation_layer1.svg",
                "expert_load.svg",
                "placement.svg",
                "domains.svg",
                "capacity.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String load = Files.readString(out.resolve("expert_load.svg"));
        assertTrue(load.startsWith("<?xml") && load.contains("class=\"heatmap-block\""), "drawn by viz's SvgExport");
        assertTrue(Files.readString(out.resolve("placement.svg")).contains("class=\"bars-block\""));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<figure><svg ") && !html.contains("<?xml") && html.contains("E / (k·T)"));
    }

    private static long sumOf(JsonNode a) {
        long s = 0;
        for (JsonNode x : a) {
            s += x.asLong();
        }
        return s;
    }

    @Test
    void badInputGetsOneClearLine() throws Exception {
        Path a = corpus("a.ids", 1, 10, 50);
        String[][] cases = {
            {"--corpus", dir.resolve("missing.txt").toString(), "corpus file not found"},
            {"--corpus", a.toString(), "--devices", "3", "valid values: 1, 2, 4, 8, 16"},
            {"--corpus", a.toString(), "--devices", "4", "--nodes", "3", "valid values: 1, 2, 4"},
            {"--corpus", a.toString(), "--devices", "4", "--replicas", "2", "use a multiple of 4"},
            {"--corpus", Files.writeString(dir.resolve("t.txt"), "hi").toString(), "no tokenizer.json"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            String[] args = new String[c.length + 4];
            args[0] = "diagnose";
            args[1] = "--model";
            args[2] = MODEL.toString();
            System.arraycopy(c, 0, args, 3, c.length - 1);
            args[c.length + 2] = "--out=" + dir.resolve("never");
            args[c.length + 3] = "--force";
            assertEquals(2, run(err, args), err.toString());
            assertTrue(
                    err.toString().startsWith("error: ") && err.toString().contains(c[c.length - 1]), err.toString());
        }
        Files.createDirectories(dir.resolve("exists"));
        StringWriter err = new StringWriter();
        assertEquals(
                2,
                run(
                        err,
                        "diagnose",
                        "--model",
                        MODEL.toString(),
                        "--corpus",
                        a.toString(),
                        "--out",
                        dir.resolve("exists").toString()));
        assertTrue(err.toString().contains("already exists; choose another --out or pass --force"), err.toString());
    }

    @Test
    void cancelKeepsWhatWasDone() throws Exception {
        Path a = corpus("a.ids", 10, 20, 100);
        AtomicInteger checks = new AtomicInteger();
        DiagnoseRunner runner = new DiagnoseRunner(
                new PrintStream(java.io.OutputStream.nullOutputStream()), () -> checks.incrementAndGet() > 3);
        DiagnosisReport r = runner.run(new DiagnoseRunner.Settings(
                MODEL,
                List.of(a),
                0,
                256,
                null,
                1,
                0,
                DiagnosisOptions.DEFAULT_CAPACITY_FACTORS,
                3,
                dir.resolve("out"),
                false));
        assertTrue(r.run().cancelled());
        assertTrue(r.tokens() > 0 && r.tokens() < 200, "tokens " + r.tokens());
        assertTrue(new ObjectMapper()
                .readTree(dir.resolve("out/report.json").toFile())
                .get("run")
                .get("cancelled")
                .asBoolean());
    }

    @Test
    void maxTokensCutsTheLastChunk() throws Exception {
        Path a = corpus("a.ids", 4, 30, 100);
        DiagnosisReport r = new DiagnoseRunner(new PrintStream(java.io.OutputStream.nullOutputStream()), () -> false)
                .run(new DiagnoseRunner.Settings(
                        MODEL, List.of(a), 50, 256, null, 1, 0, new double[] {1.0}, 3, dir.resolve("o"), false));
        assertEquals(50, r.tokens());
        assertEquals(2, r.sequences());
    }

    @Test
    void maxTokensStopsATraceLikeACorpus() throws Exception {
        StringWriter err = new StringWriter();
        Path seven = dir.resolve("seven.jsonl");
        Path five = dir.resolve("five.jsonl");
        Path two = dir.resolve("two.jsonl");
        assertEquals(
                0,
                run(err, "trace", "--model", MODEL.toString(), "--ids", "5,9,3,77,12,40,41", "--out", seven.toString()),
                err.toString());
        assertEquals(
                0,
                run(err, "trace", "--model", MODEL.toString(), "--ids", "8,60,2,33,90", "--out", five.toString()),
                err.toString());
        assertEquals(
                0,
                run(err, "trace", "--model", MODEL.toString(), "--ids", "8,60", "--out", two.toString()),
                err.toString());
        Path both = Files.writeString(dir.resolve("both.jsonl"), Files.readString(seven) + Files.readString(five));
        Path cut = Files.writeString(dir.resolve("cut.jsonl"), Files.readString(seven) + Files.readString(two));

        java.io.ByteArrayOutputStream stopped = new java.io.ByteArrayOutputStream();
        TraceDiagnosis.run(
                both,
                new DiagnoseRunner.Settings(
                        null,
                        List.of(),
                        9,
                        256,
                        null,
                        1,
                        0,
                        DiagnosisOptions.DEFAULT_CAPACITY_FACTORS,
                        3,
                        dir.resolve("a"),
                        false),
                new PrintStream(stopped, true));
        assertTrue(stopped.toString().contains("stopped at --max-tokens 9"), stopped.toString());
        assertEquals(
                0,
                run(
                        err,
                        "diagnose",
                        "--trace",
                        cut.toString(),
                        "--out",
                        dir.resolve("b").toString()),
                err.toString());
        JsonNode a = new ObjectMapper().readTree(dir.resolve("a/report.json").toFile());
        JsonNode b = new ObjectMapper().readTree(dir.resolve("b/report.json").toFile());
        assertEquals(9, a.get("tokens").asInt());
        assertEquals(2, a.get("sequences").asInt(), "the second sequence is cut after 2 of its 5 tokens");
        for (int l = 0; l < 3; l++) {
            assertEquals(9 * 4, sumOf(a.get("layers").get(l).get("counts")), "every MoE layer of the 9th token");
        }
        assertEquals(
                b.get("layers"),
                a.get("layers"),
                "same as a trace that holds only those 9 tokens (prefill is " + "causal)");

        assertEquals(
                0,
                run(
                        err,
                        "diagnose",
                        "--trace",
                        both.toString(),
                        "--max-tokens",
                        "100",
                        "--out",
                        dir.resolve("c").toString()),
                err.toString());
        assertEquals(
                12,
                new ObjectMapper()
                        .readTree(dir.resolve("c/report.json").toFile())
                        .get("tokens")
                        .asInt());
        assertEquals(
                0,
                run(
                        err,
                        "diagnose",
                        "--trace",
                        both.toString(),
                        "--max-tokens",
                        "7",
                        "--out",
                        dir.resolve("d").toString()),
                err.toString());
        JsonNode d = new ObjectMapper().readTree(dir.resolve("d/report.json").toFile());
        assertEquals(7, d.get("tokens").asInt());
        assertEquals(1, d.get("sequences").asInt(), "a limit at a sequence boundary opens no empty chunk");
    }

    @Test
    void eplbUsesTheModelsRoutingGroupsFromConfigAndFromTraces() throws Exception {
        Path v3 = Path.of("../model/src/test/resources/fixtures/deepseek_v3_f32"); // n_group 4, noaux_tc, E = 16
        Path a = corpus("a.ids", 2, 20, 120);
        Path trace = dir.resolve("v3.jsonl");
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                run(err, "trace", "--model", v3.toString(), "--ids", "5,9,3,77,12,40,41", "--out", trace.toString()),
                err.toString());
        assertEquals(
                4,
                new ObjectMapper()
                        .readTree(Files.readAllLines(trace).get(0))
                        .get("expert_groups")
                        .asInt());
        String[][] runs = {
            {"--model", v3.toString(), "--corpus", a.toString()},
            {"--trace", trace.toString()},
        };
        for (String[] source : runs) {
            // 4 groups on 2 nodes: hierarchical, 2 whole groups per node.
            JsonNode p = diagnose(source, "4", "2", "4").get("placement");
            assertEquals("hierarchical", p.get("eplb").get("policy").asText(), source[0]);
            assertEquals(4, p.get("eplb").get("groups").asInt());
            assertEquals("global", p.get("eplb_global").get("policy").asText());
            for (JsonNode layer : p.get("eplb").get("phy2log")) {
                int[] nodeOfGroup = {-1, -1, -1, -1};
                for (int slot = 0; slot < 20; slot++) { // 20 slots, node n holds [10n, 10n + 10)
                    int group = layer.get(slot).asInt() / 4;
                    assertTrue(
                            nodeOfGroup[group] < 0 || nodeOfGroup[group] == slot / 10,
                            "group " + group + " split over nodes: " + layer);
                    nodeOfGroup[group] = slot / 10;
                }
            }
            // 4 groups on 8 nodes: global fallback, said so.
            p = diagnose(source, "8", "8", "0").get("placement");
            assertEquals("global", p.get("eplb").get("policy").asText(), source[0]);
            assertEquals(1, p.get("eplb").get("groups").asInt());
            assertTrue(p.get("eplb").get("reason").asText().contains("cannot be split evenly over 8 nodes"));
            assertTrue(p.get("eplb_global") == null);
        }
        String html = Files.readString(dir.resolve("r4/report.html"));
        assertTrue(html.contains("EPLB policy: <b>hierarchical</b>, 4 expert groups"), html);
    }

    private JsonNode diagnose(String[] source, String devices, String nodes, String replicas) throws Exception {
        Path out = dir.resolve("r" + devices);
        java.util.List<String> args = new java.util.ArrayList<>(List.of("diagnose"));
        args.addAll(List.of(source));
        args.addAll(List.of(
                "--devices", devices, "--nodes", nodes, "--replicas", replicas, "--out", out.toString(), "--force"));
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, args.toArray(String[]::new)), err.toString());
        JsonNode r = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(4, r.get("expert_groups").asInt());
        return r;
    }

    @Test
    void diagnosesASavedTraceWithoutTheModel() throws Exception {
        Path trace = dir.resolve("t.jsonl");
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                run(err, "trace", "--model", MODEL.toString(), "--ids", "5,9,3,77,12,40,41", "--out", trace.toString()),
                err.toString());
        Path out = dir.resolve("o");
        assertEquals(
                0,
                run(err, "diagnose", "--trace", trace.toString(), "--devices", "8", "--out", out.toString()),
                err.toString());
        JsonNode r = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(7, r.get("tokens").asInt());
        assertEquals(8, r.get("options").get("loss_devices").asInt());
        assertEquals(7 * 4, sumOf(r.get("layers").get(2).get("counts")));
    }
}
