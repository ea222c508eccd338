package io.moescope.model.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header's always_on (version 3) names each layer's always-on part; dense lines; versions 1 and 2 still read. */
class AlwaysOnTraceTest {

    private static final String SHARED2 = "shared experts ×2";
    private static final String SHARED1 = "shared expert";
    private static final String GATED = "gated shared expert";
    private static final String DENSE = "dense FFN";
    private static final String NONE = "none";
    private static final String PARALLEL = "parallel dense MLP";

    /** Per fixture, each layer's part as its config.json says (first_k_dense_replace, mlp_only_layers, ...). */
    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("deepseek_f32", List.of(DENSE, SHARED2, SHARED2, SHARED2)), // first_k_dense 1, 2 shared
            Map.entry("deepseek_v2_f32", List.of(DENSE, SHARED2, SHARED2, SHARED2)),
            Map.entry("deepseek_v3_f32", List.of(DENSE, SHARED1, SHARED1, SHARED1)),
            Map.entry("ernie4_5_moe_f32", List.of(DENSE, SHARED2, SHARED2, DENSE)), // MoE layers 1..2
            Map.entry("ernie4_5_moe_bf16", List.of(DENSE, SHARED1, DENSE, SHARED1)), // (l+1) % interval 2 == 0
            Map.entry("glm4_moe_f32", List.of(DENSE, SHARED2, SHARED2)),
            Map.entry("glm4_moe_bf16", List.of(DENSE, DENSE, SHARED2, SHARED2)),
            Map.entry("granitemoeshared_f32", List.of("shared MLP", "shared MLP", "shared MLP")),
            Map.entry("granitemoe_f32", List.of(NONE, NONE, NONE)),
            Map.entry("qwen2_moe_f32", List.of(GATED, DENSE, GATED, GATED)), // mlp_only_layers [1]
            Map.entry("qwen3_next_f32", List.of(GATED, GATED, DENSE, GATED)), // mlp_only_layers [2]
            Map.entry("qwen3_5_moe_f32", List.of(GATED, GATED, GATED, GATED)),
            Map.entry("qwen3_moe_f32", List.of(NONE, NONE, NONE, NONE)),
            Map.entry("mixtral_f32", List.of(NONE, NONE, NONE, NONE)),
            Map.entry("olmoe_f32", List.of(NONE, NONE, NONE, NONE)),
            Map.entry("gpt_oss_f32", List.of(NONE, NONE, NONE, NONE)),
            Map.entry("gemma4_f32", List.of(PARALLEL, PARALLEL, PARALLEL, PARALLEL)), // dense MLP beside experts
            Map.entry("lfm2_moe_f32", List.of(DENSE, NONE, NONE, NONE, NONE))); // num_dense_layers 1

    @TempDir
    Path tmp;

    @Test
    void eachFamilyFixtureNamesItsAlwaysOnParts() throws Exception {
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            ModelShape shape = RecordingShape.of(ConfigParser.read(Fixtures.dir(e.getKey())));
            assertEquals(
                    e.getValue(),
                    shape.alwaysOn().stream().map(AlwaysOnPart::name).toList(),
                    e.getKey());
        }
        ModelShape qwen = RecordingShape.of(ConfigParser.read(Fixtures.dir("qwen2_moe_f32")));
        assertEquals(AlwaysOnPart.Kind.GATED_SHARED_EXPERT, qwen.alwaysOn(0).kind());
        assertEquals(List.of(GATED, DENSE), qwen.alwaysOnNames());
        ModelShape deepseek = RecordingShape.of(ConfigParser.read(Fixtures.dir("deepseek_f32")));
        assertEquals(new AlwaysOnPart(AlwaysOnPart.Kind.SHARED_EXPERTS, 2, SHARED2), deepseek.alwaysOn(1));
    }

    @Test
    void versionThreeWritesAlwaysOnAndDenseLinesAndReadsThemBack() throws Exception {
        Path file = tmp.resolve("v3.jsonl");
        TraceRecorder rec = new TraceRecorder(true);
        try (MoeModel m = MoeModel.open(Fixtures.dir("qwen2_moe_f32"));
                OutputStream out = Files.newOutputStream(file);
                JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
            new Generator(m)
                    .generate(
                            GenerationRequest.of(new int[] {73, 71, 6}, 2, SamplingParams.GREEDY),
                            TraceSink.fanOut(List.of(rec, w)),
                            TokenListener.NONE);
        }
        List<String> lines = Files.readAllLines(file);
        JsonNode header = new ObjectMapper().readTree(lines.get(0));
        assertEquals(3, header.get("version").asInt());
        assertEquals(
                "gated_shared_expert",
                header.get("always_on").get(0).get("kind").asText());
        assertEquals(DENSE, header.get("always_on").get(1).get("name").asText());
        // per position: layer 0 routing, layer 1 dense, layers 2-3 routing, then the token
        JsonNode second = new ObjectMapper().readTree(lines.get(2));
        assertEquals("dense", second.get("type").asText());
        assertEquals(1, second.get("layer").asInt());
        List<TraceEvent> read = JsonlTraceReader.readAll(file);
        assertEquals(
                rec.events().stream()
                        .filter(e -> !(e instanceof LogitsRecorded))
                        .count(),
                read.size());
        assertEquals(rec.events().get(0), read.get(0));
        List<DenseLayerOutput> written = rec.of(DenseLayerOutput.class);
        List<DenseLayerOutput> back = read.stream()
                .filter(DenseLayerOutput.class::isInstance)
                .map(DenseLayerOutput.class::cast)
                .toList();
        assertEquals(4, written.size(), "3 prompt positions + 1 fed-back token, one dense layer each");
        for (int i = 0; i < written.size(); i++) {
            assertEquals(written.get(i).norm(), back.get(i).norm(), 0f);
            assertEquals(written.get(i).position(), back.get(i).position());
            assertTrue(back.get(i).norm() > 0, "a dense FFN puts out something");
        }
    }

    @Test
    void alwaysOnOffSilencesTheDenseLayersInTheTrace() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_f32"))) {
            TraceRecorder rec = new TraceRecorder(true);
            new Generator(m)
                    .generate(
                            GenerationRequest.of(new int[] {73, 71, 6}, 0, SamplingParams.GREEDY)
                                    .withIntervention(Intervention.NONE.withAlwaysOnOff(true)),
                            rec,
                            TokenListener.NONE);
            List<DenseLayerOutput> dense = rec.of(DenseLayerOutput.class);
            assertEquals(3, dense.size());
            assertTrue(dense.stream().allMatch(d -> d.layer() == 0 && d.norm() == 0f), dense.toString());
        }
    }

    @Test
    void versionOneTracesMapTheirSharedCountToAlwaysOnParts() throws Exception {
        Path dir = Path.of(getClass()
                .getResource("/io/moescope/model/fuzz/TraceJsonlFuzzTestInputs/" + "readAllRefusesCleanly")
                .toURI());
        ModelShape deepseek = ((SequenceStarted) JsonlTraceReader.readAll(dir.resolve("deepseek_one_token.jsonl"))
                        .get(0))
                .shape();
        assertEquals(
                List.of(DENSE, SHARED2, SHARED2, SHARED2),
                deepseek.alwaysOn().stream().map(AlwaysOnPart::name).toList());
        ModelShape qwen = ((SequenceStarted) JsonlTraceReader.readAll(dir.resolve("qwen2_moe_one_token.jsonl"))
                        .get(0))
                .shape();
        assertEquals(
                List.of(GATED, DENSE, GATED, GATED),
                qwen.alwaysOn().stream().map(AlwaysOnPart::name).toList());
    }

    @Test
    void versionTwoHeadersWithoutAlwaysOnStillRead() throws Exception {
        Path v2 = Files.writeString(
                tmp.resolve("v2.jsonl"),
                String.join(
                        "\n",
                        "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":2,\"model_type\":\"glm4_moe\","
                                + "\"num_layers\":3,\"moe_layers\":[1,2],\"routed_experts\":4,\"shared_experts\":1,\"top_k\":2,"
                                + "\"vocab_size\":8}",
                        "{\"type\":\"token\",\"position\":0,\"id\":1,\"text\":\"a\",\"phase\":\"prefill\",\"t_ns\":5}",
                        "{\"type\":\"end\",\"positions\":1,\"reason\":\"prefill_only\"}",
                        ""));
        ModelShape shape = ((SequenceStarted) JsonlTraceReader.readAll(v2).get(0)).shape();
        assertEquals(
                List.of(DENSE, SHARED1, SHARED1),
                shape.alwaysOn().stream().map(AlwaysOnPart::name).toList());
    }

    @Test
    void badAlwaysOnIsAFormatErrorNamingTheLine() throws Exception {
        String head = "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":3,\"model_type\":\"x\","
                + "\"num_layers\":2,\"moe_layers\":[1],\"routed_experts\":4,\"shared_experts\":0,\"top_k\":2,"
                + "\"vocab_size\":8";
        String dense = "{\"kind\":\"dense_ffn\",\"name\":\"dense FFN\"}";
        for (String[] bad : new String[][] {
            {"}", "needs \"always_on\""},
            {",\"always_on\":[" + dense + "]}", "1 entries but num_layers is 2"},
            {",\"always_on\":[" + dense + ",{\"kind\":\"magic\",\"name\":\"m\"}]}", "unknown always-on kind"},
            {",\"always_on\":[" + dense + "," + dense + "]}", "layer 1 is an MoE layer"},
            {
                ",\"always_on\":[{\"kind\":\"none\",\"name\":\"none\"},{\"kind\":\"none\",\"name\":\"none\"}]}",
                "layer 0 is a dense layer"
            }
        }) {
            Path file = Files.writeString(tmp.resolve("bad.jsonl"), head + bad[0] + "\n");
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(file));
            assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        Path ok = Files.writeString(
                tmp.resolve("ok.jsonl"),
                head + ",\"always_on\":[" + dense
                        + ",{\"kind\":\"shared_experts\",\"count\":3,\"name\":\"shared experts ×3\"}]}\n"
                        + "{\"type\":\"dense\",\"position\":0,\"layer\":1,\"ffn_norm\":1.0}\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonlTraceReader.readAll(ok));
        assertTrue(
                e.getMessage().contains("ok.jsonl:2") && e.getMessage().contains("not a dense layer"), e.getMessage());
    }
}
