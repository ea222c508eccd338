package io.moescope.model.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.config.RopeConfig;
import io.moescope.model.tensor.BlockedGemm;
import io.moescope.model.tensor.HeapMatrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Grouped-query attention over a prompt (the blocked score and output tiles, from {@link BlockedGemm#MIN_TOKENS}
 * tokens) equals the same tokens attended one at a time (the per-token dot/axpy loop) to FP32 rounding, with and
 * without a sliding window and sinks, and when the prompt continues a cache (chunked prefill).
 */
class AttentionPrefillTest {

    static final int H = 48;
    static final int NH = 4;
    static final int NKV = 2;
    static final int HD = 16;
    static final int T = 29;

    static float[] rand(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 0.4);
        }
        return a;
    }

    static Attention layer(int window, boolean sinks) {
        int rows = (NH + 2 * NKV) * HD;
        Attention.Options opt =
                new Attention.Options(null, null, null, false, Float.NaN, window, sinks ? rand(NH, 9) : null);
        return new Attention(
                new HeapMatrix(rand(rows * H, 1), rows, H),
                new HeapMatrix(rand(H * NH * HD, 2), H, NH * HD),
                NH,
                NKV,
                HD,
                new Rope(HD, RopeConfig.plain(10000), false),
                opt);
    }

    /** case 0: plain; 1: sliding window 7 and sinks; 2: plain, the prompt after 5 tokens already cached. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void promptEqualsOneTokenAtATime(int variant) {
        Attention a = layer(variant == 1 ? 7 : 0, variant == 1);
        float[] x = rand(T * H, 3);
        int cached = variant == 2 ? 5 : 0;
        KvCache prompt = a.newCache();
        float[] all = new float[T * H];
        if (cached > 0) {
            a.forward(java.util.Arrays.copyOf(x, cached * H), cached, prompt, all);
        }
        float[] rest = new float[(T - cached) * H];
        a.forward(java.util.Arrays.copyOfRange(x, cached * H, T * H), T - cached, prompt, rest);
        System.arraycopy(rest, 0, all, cached * H, rest.length);

        KvCache steps = a.newCache();
        float[] one = new float[H];
        double worst = 0;
        for (int t = 0; t < T; t++) {
            a.forward(java.util.Arrays.copyOfRange(x, t * H, (t + 1) * H), 1, steps, one);
            for (int i = 0; i < H; i++) {
                worst = Math.max(worst, Math.abs(one[i] - all[t * H + i]) / Math.max(1, Math.abs(one[i])));
            }
        }
        assertTrue(T - cached >= BlockedGemm.MIN_TOKENS, "the prompt must take the blocked path");
        assertTrue(worst <= 2e-6, "worst relative difference " + worst);
    }
}
