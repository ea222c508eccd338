package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceRecorder;
import java.util.List;

/**
 * The cached-decode check shared by the family tests whose fixtures carry {@code decode_logits}: greedy generation
 * from the fixture's prompt gives transformers' tokens, and the logits of the first 12 cached decode steps agree.
 */
final class CachedDecode {

    private CachedDecode() {}

    /** Generates greedily on fixture {@code name} and compares tokens and decode logits (≤ 1e-4 relative). */
    static void assertMatchesTransformers(String name) throws Exception {
        JsonNode exp = Fixtures.expected(name);
        int[] prompt = Fixtures.ints(exp.get("greedy").get("prompt"));
        int[] want = Fixtures.ints(exp.get("greedy").get("generated"));
        JsonNode decode = exp.get("decode_logits");
        try (MoeModel model = MoeModel.open(Fixtures.dir(name))) {
            TraceRecorder rec = new TraceRecorder(true);
            GenerationRequest req =
                    new GenerationRequest(prompt, want.length, SamplingParams.GREEDY, Intervention.NONE, false, false);
            GenerationResult r = new Generator(model).generate(req, rec, TokenListener.NONE);
            assertArrayEquals(want, r.generatedIds(), name + " greedy continuation");
            List<LogitsRecorded> logits = rec.of(LogitsRecorded.class);
            double maxRel = 0;
            for (int step = 0; step < decode.size(); step++) {
                int pos = prompt.length + step; // the position of generated token `step`, whose logits give step+1
                float[] got = logits.stream()
                        .filter(l -> l.position() == pos)
                        .findFirst()
                        .orElseThrow()
                        .values();
                maxRel = Math.max(maxRel, Fixtures.relativeError(got, Fixtures.floats(decode.get(step))));
            }
            assertEquals(12, decode.size());
            assertTrue(maxRel <= 1e-4, name + ": decode logits max relative error " + maxRel);
            long decoded = rec.of(TokenEmitted.class).stream()
                    .filter(t -> t.phase() == Phase.DECODE)
                    .count();
            assertEquals(want.length, decoded);
        }
    }
}
