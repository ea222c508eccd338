package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.layer.KvCache;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding one token at a time through the KV cache gives the logits of one prefill over the whole sequence. */
class KvCacheConsistencyTest {

    private static final int[] IDS = {73, 71, 6, 78, 103, 105, 122, 51, 52, 9, 17, 33};

    private static void assertClose(float[] want, float[] got, int from, String where) {
        for (int v = 0; v < got.length; v++) {
            float w = want[from + v];
            assertEquals(w, got[v], 1e-5 * Math.max(1, Math.abs(w)), where + " logit " + v);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixtral_f32", "qwen2_moe_f32", "qwen3_moe_bf16", "olmoe_clip_f32", "deepseek_f32"})
    void stepByStepEqualsOnePrefill(String name) throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir(name))) {
            Transformer tf = m.transformer();
            int vocab = m.config().vocabSize();
            float[] all = tf.forward(tf.newSession(), IDS, true, Intervention.NONE, null);
            assertEquals(IDS.length * vocab, all.length);

            Session s = tf.newSession();
            for (int p = 0; p < IDS.length; p++) {
                float[] step = tf.forward(s, new int[] {IDS[p]}, false, Intervention.NONE, null);
                assertClose(all, step, p * vocab, name + " position " + p);
                assertEquals(p + 1, s.length());
            }

            Session chunked = tf.newSession();
            tf.forward(chunked, Arrays.copyOf(IDS, 5), false, Intervention.NONE, null);
            float[] rest = tf.forward(chunked, Arrays.copyOfRange(IDS, 5, IDS.length), true, Intervention.NONE, null);
            assertClose(all, rest, 5 * vocab, name + " second chunk");
        }
    }

    @Test
    void slidingWindowStepByStepEqualsOnePrefill(@TempDir Path tmp) throws Exception {
        Path dir = BrokenInputs.copy("mixtral_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("sliding_window", 4));
        try (MoeModel windowed = MoeModel.open(dir);
                MoeModel full = MoeModel.open(Fixtures.dir("mixtral_f32"))) {
            Transformer tf = windowed.transformer();
            int vocab = windowed.config().vocabSize();
            float[] all = tf.forward(tf.newSession(), IDS, true, Intervention.NONE, null);
            Session s = tf.newSession();
            for (int p = 0; p < IDS.length; p++) {
                assertClose(
                        all,
                        tf.forward(s, new int[] {IDS[p]}, false, Intervention.NONE, null),
                        p * vocab,
                        "windowed position " + p);
            }
            float[] unwindowed =
                    full.transformer().forward(full.transformer().newSession(), IDS, true, Intervention.NONE, null);
            assertArrayEquals(
                    Arrays.copyOf(unwindowed, 4 * vocab),
                    Arrays.copyOf(all, 4 * vocab),
                    1e-5f,
                    "the first 4 positions see everything either way");
            assertFalse(
                    Arrays.equals(
                            Arrays.copyOfRange(unwindowed, 4 * vocab, 5 * vocab),
                            Arrays.copyOfRange(all, 4 * vocab, 5 * vocab)),
                    "position 4 no longer sees position 0");
        }
    }

    @Test
    void truncateRewindsTheSession() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("olmoe_f32"))) {
            Transformer tf = m.transformer();
            Session s = tf.newSession();
            float[] first = tf.forward(s, IDS, false, Intervention.NONE, null);
            s.truncate(4);
            assertEquals(4, s.length());
            float[] again = tf.forward(s, Arrays.copyOfRange(IDS, 4, IDS.length), false, Intervention.NONE, null);
            assertArrayEquals(first, again, 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> s.truncate(IDS.length + 1));
        }
    }

    @Test
    void cacheGrowsAndKeepsEveryRow() {
        KvCache c = new KvCache(3, 2);
        for (int p = 0; p < 40; p++) {
            c.append(new float[] {p, p + 0.5f, -p}, 0, new float[] {9, 9, 2 * p, 1}, 2);
        }
        assertEquals(40, c.length());
        for (int p = 0; p < 40; p++) {
            assertArrayEquals(new float[] {p, p + 0.5f, -p}, Arrays.copyOfRange(c.keys(), 3 * p, 3 * p + 3));
            assertArrayEquals(new float[] {2 * p, 1}, Arrays.copyOfRange(c.values(), 2 * p, 2 * p + 2));
        }
    }
}
