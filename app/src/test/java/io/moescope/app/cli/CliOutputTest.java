package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented output of {@code trace} (JSONL, position-major) and {@code tokenize} ({"ids":[...]}). */
class CliOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDS = "73,71,6,78,103";

    @TempDir
    Path tmp;

    @Test
    void traceHeaderThenRoutingAndDenseLinesOfEveryLayerThenTokenPerPosition() throws Exception {
        CliRun r = CliRun.of("trace", "--model", CliRun.fixture("qwen2_moe_f32").toString(), "--ids", IDS);
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        String gated = "{\"kind\":\"gated_shared_expert\",\"name\":\"gated shared expert\"}";
        assertEquals(
                "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":3,\"model_type\":\"qwen2_moe\","
                        + "\"num_layers\":4,\"moe_layers\":[0,2,3],\"routed_experts\":12,\"shared_experts\":1,\"top_k\":4,"
                        + "\"vocab_size\":128,\"expert_groups\":1,\"always_on\":[" + gated
                        + ",{\"kind\":\"dense_ffn\",\"name\":\"dense FFN\"}," + gated + "," + gated + "]}",
                lines.get(0));
        int[] ids = {73, 71, 6, 78, 103};
        JsonNode expected = JSON.readTree(
                CliRun.fixture("qwen2_moe_f32").resolve("expected.json").toFile());
        int line = 1;
        for (int p = 0; p < ids.length; p++) {
            for (int m = 0; m < 3; m++) {
                if (m == 1) { // decoder layer 1 is dense (mlp_only_layers): its line comes between layers 0 and 2
                    JsonNode d = JSON.readTree(lines.get(line++));
                    assertEquals("dense", d.get("type").asText());
                    assertEquals(1, d.get("layer").asInt());
                    assertTrue(d.get("ffn_norm").asDouble() > 0, "a dense FFN puts out something");
                }
                JsonNode n = JSON.readTree(lines.get(line++));
                assertEquals("routing", n.get("type").asText());
                assertEquals(p, n.get("position").asInt());
                assertEquals(new int[] {0, 2, 3}[m], n.get("layer").asInt());
                assertEquals(12, n.get("scores").size());
                assertEquals(
                        expected.get("routing").get(m).get("experts").get(p),
                        n.get("experts"),
                        "experts at layer " + n.get("layer") + " position " + p);
                assertTrue(n.get("shared_gate").isNumber(), "qwen2_moe has a shared gate");
            }
            JsonNode tok = JSON.readTree(lines.get(line++));
            assertEquals("token", tok.get("type").asText());
            assertEquals(p, tok.get("position").asInt());
            assertEquals(ids[p], tok.get("id").asInt());
            assertEquals("prefill", tok.get("phase").asText());
        }
        JsonNode end = JSON.readTree(lines.get(line++));
        assertEquals("end", end.get("type").asText());
        assertEquals(ids.length, end.get("positions").asInt());
        assertEquals(line, lines.size(), "nothing after the end line");
        assertFalse(r.out().contains("\"logits\""), "no logits unless --logits");
    }

    @Test
    void traceWithLogitsAddsALogitsLineAfterEachToken() throws Exception {
        Path file = tmp.resolve("t.jsonl");
        CliRun r = CliRun.of(
                "trace",
                "--model",
                CliRun.fixture("olmoe_f32").toString(),
                "--ids",
                IDS,
                "--logits",
                "--out",
                file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out(), "--out writes nothing to stdout");
        List<JsonNode> lines = new ArrayList<>();
        for (String s : Files.readAllLines(file)) {
            lines.add(JSON.readTree(s));
        }
        JsonNode expected = JSON.readTree(
                CliRun.fixture("olmoe_f32").resolve("expected.json").toFile());
        assertEquals("header", lines.get(0).get("type").asText());
        int per = 4 + 2; // 4 MoE layers, token, logits
        assertEquals(1 + 5 * per + 1, lines.size());
        for (int p = 0; p < 5; p++) {
            JsonNode tok = lines.get(1 + p * per + 4);
            JsonNode logits = lines.get(1 + p * per + 5);
            assertEquals("token", tok.get("type").asText());
            assertEquals("logits", logits.get("type").asText());
            assertEquals(p, logits.get("position").asInt());
            assertEquals(128, logits.get("values").size());
            JsonNode want = expected.get("logits").get(p);
            for (int v = 0; v < 128; v++) {
                assertEquals(
                        want.get(v).asDouble(),
                        logits.get("values").get(v).asDouble(),
                        1e-3,
                        "logit " + v + " at position " + p);
            }
        }
    }

    @Test
    void tokenizePrintsIdsAsJson() {
        String tok = CliRun.tokenizer("llama2").toString();
        CliRun plain = CliRun.of("tokenize", "--tokenizer", tok, "--text", "Hello, world!");
        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals("{\"ids\":[22557,28725,1526,28808]}\n", plain.out());
        CliRun special = CliRun.of("tokenize", "--tokenizer", tok, "--text", "Hello, world!", "--special");
        assertEquals("{\"ids\":[1,22557,28725,1526,28808]}\n", special.out());
    }
}
