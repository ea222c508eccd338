package io.moescope.model.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.RopeConfig;
import io.moescope.model.tensor.NdMatrix;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** MLA pitfalls (spec §10.1–10.4) on a small random layer: RoPE pairing, mscale², softmax width, shared k_pe. */
class MlaAttentionTest {

    static final int H = 32;
    static final int NH = 2;
    static final ModelConfig.Mla DIMS = new ModelConfig.Mla(0, 16, 8, 8, 8); // r_q, r_kv, d_n, d_r, d_v
    static final int DN = 8;
    static final int DR = 8;
    static final int R = 16;
    static final RopeConfig YARN = new RopeConfig(100, "yarn", 40, 64, 32, 1, 0.707, 0.707);
    static final int T = 6;

    /** Random weights: q [NH·(dn+dr), H], kv_a [R+dr, H], kv_b [NH·(dn+dv), R], o [H, NH·dv]. */
    final float[] q = rand(NH * (DN + DR) * H, 1);

    final float[] kvA = rand((R + DR) * H, 2);
    final float[] kvB = rand(NH * (DN + 8) * R, 3);
    final float[] o = rand(H * NH * 8, 4);
    final float[] x = rand(T * H, 5);

    static float[] rand(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 0.5);
        }
        return a;
    }

    MlaAttention layer(float[] qw, float[] kva, boolean interleaved, double scale) {
        float[] norm = new float[R];
        java.util.Arrays.fill(norm, 1f);
        return new MlaAttention(
                MlaAttention.Query.plain(new NdMatrix(qw, NH * (DN + DR), H)),
                new NdMatrix(kva, R + DR, H),
                new RmsNorm(norm, 1e-6),
                new NdMatrix(kvB, NH * (DN + 8), R),
                new NdMatrix(o, H, NH * 8),
                NH,
                DIMS,
                new Rope(DR, YARN, interleaved),
                scale);
    }

    MlaAttention layer() {
        return layer(q, kvA, true, MlaAttention.softmaxScale(DIMS, YARN));
    }

    static float[] run(MlaAttention a, float[] x, int tokens) {
        float[] out = new float[tokens * H];
        a.forward(x, tokens, a.newCache(), out);
        return out;
    }

    static double maxDiff(float[] a, float[] b, int from, int to) {
        double d = 0;
        for (int i = from; i < to; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** Rows [first, first+dr) of a [rows, H] weight reordered: evens then odds (interleaved → half layout). */
    static float[] permuteRopeRows(float[] w, int first) {
        float[] out = w.clone();
        for (int i = 0; i < DR; i++) {
            int src = i < DR / 2 ? 2 * i : 2 * (i - DR / 2) + 1;
            System.arraycopy(w, (first + src) * H, out, (first + i) * H, H);
        }
        return out;
    }

    @Test
    void wrongRopePairingOnlyShowsAfterPositionZero() {
        double s = MlaAttention.softmaxScale(DIMS, YARN);
        float[] good = run(layer(), x, T);
        float[] half = run(layer(q, kvA, false, s), x, T);
        assertEquals(0, maxDiff(good, half, 0, H), 1e-6, "position 0 has zero rotation: pairing cannot matter");
        assertTrue(
                maxDiff(good, half, H, T * H) > 1e-2, "half pairing on interleaved weights must change later outputs");
        // permuting the rope rows once (q_pe of every head, k_pe of kv_a) makes the half kernel exact
        float[] qp = q;
        for (int h = 0; h < NH; h++) {
            qp = permuteRopeRows(qp, h * (DN + DR) + DN);
        }
        float[] permuted = run(layer(qp, permuteRopeRows(kvA, R), false, s), x, T);
        assertArrayEquals(good, permuted, 1e-5f);
    }

    @Test
    void softmaxScaleUsesNopePlusRopeWidthAndMscaleSquared() {
        ModelConfig.Mla real = new ModelConfig.Mla(0, 512, 128, 64, 128);
        RopeConfig lite = new RopeConfig(10000, "yarn", 40, 4096, 32, 1, 0.707, 0.707);
        RopeConfig v3 = new RopeConfig(10000, "yarn", 40, 4096, 32, 1, 1.0, 1.0);
        assertEquals(Math.pow(192, -0.5) * 1.5896, MlaAttention.softmaxScale(real, lite), 1e-4 * Math.pow(192, -0.5));
        assertEquals(Math.pow(192, -0.5) * 1.8739, MlaAttention.softmaxScale(real, v3), 1e-4 * Math.pow(192, -0.5));
        assertEquals(Math.pow(192, -0.5), MlaAttention.softmaxScale(real, RopeConfig.plain(10000)), 1e-12);
        assertEquals(
                1.0, new Rope(64, v3, true).amplitude(), 1e-12, "amplitude ratio is 1 for mscale == mscale_all_dim");
        // absent keys follow the remote code's defaults (mscale 1, mscale_all_dim 0)
        RopeConfig none = new RopeConfig(10000, "yarn", 40, 4096, 32, 1, 0, 0);
        RopeConfig onlyAll = new RopeConfig(10000, "yarn", 40, 4096, 32, 1, 0, 0.707);
        assertEquals(1 + 0.1 * Math.log(40), new Rope(64, none, true).amplitude(), 1e-12);
        assertEquals(
                (1 + 0.1 * Math.log(40)) / (1 + 0.0707 * Math.log(40)), new Rope(64, onlyAll, true).amplitude(), 1e-12);
    }

    @Test
    void missingMscaleSquaredIsInvisibleForOneTokenButNotForMany() {
        double plainScale = Math.pow(DN + DR, -0.5);
        float[] good = run(layer(), x, T);
        float[] noFactor = run(layer(q, kvA, true, plainScale), x, T);
        assertEquals(0, maxDiff(good, noFactor, 0, H), 1e-6, "one key: softmax is 1 whatever the scale");
        assertTrue(maxDiff(good, noFactor, H, T * H) > 1e-2);
    }

    @Test
    void kPeIsOneKeySharedByAllHeads() {
        MlaAttention a = layer();
        KvCache cache = a.newCache();
        a.forward(x, T, cache, new float[T * H]);
        float[] k = cache.keys();
        int kw = NH * (DN + DR);
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < DR; i++) {
                assertEquals(k[t * kw + DN + i], k[t * kw + (DN + DR) + DN + i], "head 0 vs head 1 rope key");
            }
            assertTrue(k[t * kw] != k[t * kw + DN + DR], "nope keys are per head");
        }
    }

    @Test
    void onlyTheLatentIsNormalisedNotKpe() {
        float[] base = run(layer(), x, T);
        UnaryOperator<float[]> scaleLatent = w -> scaleRows(w, 0, R, 3f);
        float[] latentScaled = run(layer(q, scaleLatent.apply(kvA), true, MlaAttention.softmaxScale(DIMS, YARN)), x, T);
        assertArrayEquals(base, latentScaled, 1e-4f, "RMSNorm makes the latent scale-invariant");
        float[] kpeScaled = run(layer(q, scaleRows(kvA, R, DR, 3f), true, MlaAttention.softmaxScale(DIMS, YARN)), x, T);
        assertTrue(maxDiff(base, kpeScaled, H, T * H) > 1e-2, "k_pe is not normalised: scaling it must matter");
    }

    @Test
    void tokenByTokenWithTheCacheEqualsOneBatch() {
        MlaAttention a = layer();
        float[] batch = run(a, x, T);
        KvCache cache = a.newCache();
        float[] step = new float[H];
        for (int t = 0; t < T; t++) {
            a.forward(java.util.Arrays.copyOfRange(x, t * H, (t + 1) * H), 1, cache, step);
            assertArrayEquals(java.util.Arrays.copyOfRange(batch, t * H, (t + 1) * H), step, 1e-5f, "position " + t);
        }
    }

    static float[] scaleRows(float[] w, int first, int n, float f) {
        float[] out = w.clone();
        for (int i = first * H; i < (first + n) * H; i++) {
            out[i] *= f;
        }
        return out;
    }
}
