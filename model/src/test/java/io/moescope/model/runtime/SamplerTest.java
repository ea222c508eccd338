package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Greedy, seeded temperature/top-k/top-p sampling and the validation of sampling parameters. */
class SamplerTest {

    private static float[] randomLogits(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        return v;
    }

    private static int[] draw(SamplingParams p, float[] logits, int n) {
        Sampler s = new Sampler(p);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(logits, 0, logits.length);
        }
        return out;
    }

    @Test
    void sameSeedSameSequence() {
        float[] logits = randomLogits(1, 100);
        SamplingParams p = new SamplingParams(1.0, 0, 1.0, 1234);
        assertArrayEquals(draw(p, logits, 200), draw(p, logits, 200));
        int[] other = draw(new SamplingParams(1.0, 0, 1.0, 4321), logits, 200);
        assertFalse(java.util.Arrays.equals(draw(p, logits, 200), other), "another seed, another sequence");
    }

    @Test
    void topKOneAndTinyTopPAreGreedy() {
        for (long seed = 0; seed < 50; seed++) {
            float[] logits = randomLogits(seed, 64);
            int greedy = Sampler.argmax(logits, 0, 64);
            assertEquals(greedy, new Sampler(SamplingParams.GREEDY).sample(logits, 0, 64));
            for (int v : draw(new SamplingParams(1.5, 1, 1.0, seed), logits, 20)) {
                assertEquals(greedy, v, "top-k 1");
            }
            for (int v : draw(new SamplingParams(1.5, 0, 1e-9, seed), logits, 20)) {
                assertEquals(greedy, v, "top-p 1e-9");
            }
        }
    }

    @Test
    void greedyTiesGoToTheLowerId() {
        assertEquals(1, new Sampler(SamplingParams.GREEDY).sample(new float[] {0f, 2f, 2f, -1f}, 0, 4));
        assertEquals(0, Sampler.argmax(new float[] {5f, 5f}, 0, 2));
    }

    @Test
    void samplesOnlyFromTheSliceAtTheOffset() {
        float[] logits = {9f, 9f, 0f, 0f, 1f, 9f};
        Sampler s = new Sampler(new SamplingParams(1.0, 0, 1.0, 7));
        for (int i = 0; i < 100; i++) {
            int v = s.sample(logits, 2, 3);
            assertTrue(v >= 0 && v < 3, "index within the slice: " + v);
        }
        assertEquals(2, Sampler.argmax(logits, 2, 3));
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        float[] logits = {0f, (float) Math.log(3)}; // p = 1/4, 3/4
        int[] v = draw(new SamplingParams(1.0, 0, 1.0, 99), logits, 20_000);
        double ones = java.util.Arrays.stream(v).filter(x -> x == 1).count() / 20_000.0;
        assertEquals(0.75, ones, 0.02);
        // temperature 2 flattens: p ∝ exp(z/2) = 1, √3 → 0.634
        int[] hot = draw(new SamplingParams(2.0, 0, 1.0, 99), logits, 20_000);
        assertEquals(
                Math.sqrt(3) / (1 + Math.sqrt(3)),
                java.util.Arrays.stream(hot).filter(x -> x == 1).count() / 20_000.0,
                0.02);
    }

    @Test
    void topKAndTopPKeepOnlyTheMostLikely() {
        float[] logits = {3f, 2.9f, 2.8f, -5f, -5f, 0f};
        for (int v : draw(new SamplingParams(1.0, 2, 1.0, 3), logits, 500)) {
            assertTrue(v == 0 || v == 1, "top-2 only: " + v);
        }
        // p(0) ≈ 0.36, p(0)+p(1) ≈ 0.69: top-p 0.5 keeps exactly tokens 0 and 1
        for (int v : draw(new SamplingParams(1.0, 0, 0.5, 3), logits, 500)) {
            assertTrue(v == 0 || v == 1, "top-p 0.5: " + v);
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-0.1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(Double.NaN, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(Double.POSITIVE_INFINITY, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 1.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, Double.NaN, 0));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1, 0, 1, 0));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        assertTrue(new SamplingParams(0, 5, 0.5, 1).greedy());
    }
}
