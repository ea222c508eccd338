package io.moescope.model.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.Fixtures;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.WeightStore;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticCheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void tinyCheckpointLoadsRunsAndRoutesToManyExperts() throws Exception {
        for (String dtype : new String[] {"bf16", "f16", "f32"}) {
            Path out = tmp.resolve("tiny-" + dtype);
            SyntheticCheckpoint s = SyntheticCheckpoint.of("tiny", dtype, 2);
            // small shards to exercise the index
            SyntheticCheckpoint.Summary r = s.write(out, dtype, 3, 4_000_000, false, null);
            assertTrue(r.shards() > 1);
            assertTrue(Files.isRegularFile(out.resolve("model.safetensors.index.json")));
            try (WeightStore ws = WeightStore.open(out)) {
                assertEquals(s.tensors().size(), ws.tensors().size());
            }
            try (MoeModel m = MoeModel.open(out)) {
                TraceRecorder rec = new TraceRecorder(false);
                int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
                var res = new Generator(m)
                        .generate(GenerationRequest.of(ids, 4, SamplingParams.GREEDY), rec, TokenListener.NONE);
                for (float v : res.lastLogits()) {
                    assertTrue(Float.isFinite(v) && Math.abs(v) < 100, "logit " + v);
                }
                Set<Integer> used = new HashSet<>();
                for (RoutingDecision d : rec.of(RoutingDecision.class)) {
                    for (int e : d.experts()) {
                        used.add(e);
                    }
                }
                assertTrue(used.size() >= 8, dtype + ": routing uses only " + used);
            }
        }
    }

    @Test
    void refusesAnExistingDirectoryUnlessForced() throws Exception {
        Path out = tmp.resolve("m");
        SyntheticCheckpoint s = SyntheticCheckpoint.of("tiny", "bf16", 1);
        s.write(out, "bf16", 1, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, false, null);
        assertThrows(
                FileAlreadyExistsException.class,
                () -> s.write(out, "bf16", 1, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, false, null));
        s.write(out, "bf16", 2, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, true, null);
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary directories left behind");
        }
    }

    /** The plan for each fixture's config names exactly the tensors its real-layout checkpoint has. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "glm4_moe_f32",
                "ernie4_5_moe_f32",
                "granitemoe_f32",
                "granitemoeshared_f32",
                "gpt_oss_mxfp4",
                "olmoe_f32",
                "qwen2_moe_f32",
                "qwen3_moe_f32",
                "mixtral_f32",
                "deepseek_f32",
                "deepseek_v2_f32",
                "lfm2_moe_f32",
                "qwen3_5_moe_f32",
                "qwen3_next_f32",
                "gemma4_f32",
                "gemma4_bf16"
            })
    void planMatchesTheFixturesTensors(String name) throws Exception {
        ModelConfig c = ConfigParser.read(Fixtures.dir(name));
        Map<String, List<Long>> plan = new TreeMap<>();
        for (SyntheticCheckpoint.Spec t : TensorPlan.of(c)) {
            plan.put(t.name(), Arrays.stream(t.shape()).boxed().toList());
        }
        Map<String, List<Long>> file = new TreeMap<>();
        try (WeightStore ws = WeightStore.open(Fixtures.dir(name))) {
            ws.tensors()
                    .forEach((n, t) ->
                            file.put(n, Arrays.stream(t.shape()).boxed().toList()));
        }
        assertEquals(file.keySet(), plan.keySet(), name);
        for (String n : file.keySet()) {
            if (n.endsWith("moe_statics.e_score_correction_bias")) { // ERNIE's [1, E]; synth writes [E]
                assertEquals(file.get(n).get(1), plan.get(n).get(0), n);
            } else {
                assertEquals(file.get(n), plan.get(n), n);
            }
        }
    }

    /** Synth at the fixtures' small configs writes checkpoints that load and route across many experts. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "glm4_moe_bf16",
                "ernie4_5_moe_f32",
                "granitemoeshared_f32",
                "gpt_oss_mxfp4",
                "lfm2_moe_bf16",
                "qwen3_5_moe_f32",
                "gemma4_bf16"
            })
    void newFamiliesWriteLoadAndRun(String name) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper()
                .readValue(Fixtures.dir(name).resolve("config.json").toFile(), Map.class);
        SyntheticCheckpoint s = SyntheticCheckpoint.fromConfig(name, config);
        Path out = tmp.resolve(name);
        s.write(out, "bf16", 5, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, false, null);
        try (MoeModel m = MoeModel.open(out)) {
            assertEquals(config.get("model_type"), m.config().family().modelType());
            TraceRecorder rec = new TraceRecorder(false);
            int[] ids = {3, 9, 27, 81, 17, 51, 25, 75, 99, 41, 123, 111};
            var res = new Generator(m)
                    .generate(GenerationRequest.of(ids, 4, SamplingParams.GREEDY), rec, TokenListener.NONE);
            for (float v : res.lastLogits()) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 100, name + " logit " + v);
            }
            Set<Integer> used = new HashSet<>();
            rec.of(RoutingDecision.class)
                    .forEach(d -> Arrays.stream(d.experts()).forEach(used::add));
            assertTrue(used.size() >= 5, name + ": routing uses only " + used);
        }
    }

    @Test
    void everyPresetHasConsistentShapes() {
        for (String p : SyntheticCheckpoint.presets()) {
            SyntheticCheckpoint s = SyntheticCheckpoint.of(p, "bf16", 0);
            assertTrue(s.dataBytes("bf16") > 0);
        }
        // the published sizes (bf16 on disk, moe-architectures.md §9)
        assertEquals(13.8e9, SyntheticCheckpoint.of("olmoe-1b-7b", "bf16", 0).dataBytes("bf16"), 0.1e9);
        assertEquals(93.4e9, SyntheticCheckpoint.of("mixtral-8x7b", "bf16", 0).dataBytes("bf16"), 0.2e9);
        assertEquals(
                28.6e9, SyntheticCheckpoint.of("qwen1.5-moe-a2.7b", "bf16", 0).dataBytes("bf16"), 0.2e9);
        assertEquals(
                31.4e9, SyntheticCheckpoint.of("deepseek-v2-lite", "bf16", 0).dataBytes("bf16"), 0.2e9);
        // parameter counts of the model cards (GLM-4.5-Air: 106B without its 1.6B-parameter MTP layer)
        assertEquals(
                2 * 106.0e9, SyntheticCheckpoint.of("glm-4.5-air", "bf16", 0).dataBytes("bf16"), 2e9);
        assertEquals(
                2 * 21.8e9,
                SyntheticCheckpoint.of("ernie-4.5-21b-a3b", "bf16", 0).dataBytes("bf16"),
                0.6e9);
        assertEquals(
                2 * 3.3e9,
                SyntheticCheckpoint.of("granite-3.1-3b-a800m", "bf16", 0).dataBytes("bf16"),
                0.1e9);
        // gpt-oss-20b as released: 12.8 GiB of safetensors (MXFP4 experts, BF16 rest)
        assertEquals(13.8e9, SyntheticCheckpoint.of("gpt-oss-20b", "bf16", 0).dataBytes("bf16"), 0.2e9);
        // LFM2-8B-A1B: 8.3B parameters (model card); Qwen3.5-35B-A3B: 35B on the card, vision tower included (the
        // text part this preset writes computes to 34.7B)
        assertEquals(2 * 8.3e9, SyntheticCheckpoint.of("lfm2-8b-a1b", "bf16", 0).dataBytes("bf16"), 0.2e9);
        assertEquals(
                2 * 34.7e9, SyntheticCheckpoint.of("qwen3.5-35b-a3b", "bf16", 0).dataBytes("bf16"), 0.6e9);
        // Gemma 4 26B-A4B: 25.2B parameters on the model card
        assertEquals(
                2 * 25.2e9, SyntheticCheckpoint.of("gemma-4-26b-a4b", "bf16", 0).dataBytes("bf16"), 0.3e9);
    }
}
