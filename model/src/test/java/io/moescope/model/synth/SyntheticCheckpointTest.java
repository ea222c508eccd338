package io.moescope.model.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                var res = new Generator(m).generate(GenerationRequest.of(ids, 4, SamplingParams.GREEDY), rec,
                        TokenListener.NONE);
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
        assertThrows(FileAlreadyExistsException.class,
                () -> s.write(out, "bf16", 1, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, false, null));
        s.write(out, "bf16", 2, SyntheticCheckpoint.DEFAULT_SHARD_BYTES, true, null);
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary directories left behind");
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
        assertEquals(28.6e9, SyntheticCheckpoint.of("qwen1.5-moe-a2.7b", "bf16", 0).dataBytes("bf16"), 0.2e9);
        assertEquals(31.4e9, SyntheticCheckpoint.of("deepseek-v2-lite", "bf16", 0).dataBytes("bf16"), 0.2e9);
    }
}
