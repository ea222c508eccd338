package io.moescope.app.session;

import io.moescope.model.trace.LogitsRecorded;
import java.util.Arrays;

/**
 * The most likely next tokens at one position: ids and softmax probabilities, best first. Only these are kept
 * from a {@link LogitsRecorded} event, never the whole vocabulary vector. Immutable.
 */
public final class TopTokens {

    /** How many tokens are kept per position. */
    public static final int SIZE = 10;

    public static final TopTokens NONE = new TopTokens(new int[0], new float[0]);

    private final int[] ids; // [n], best first
    private final float[] probs; // [n]

    public TopTokens(int[] ids, float[] probs) {
        if (ids.length != probs.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + probs.length + " probabilities");
        }
        this.ids = ids.clone();
        this.probs = probs.clone();
    }

    /** Softmax over the logits, keeping the {@code k} largest; one pass for the max, one for the sum. */
    public static TopTokens of(LogitsRecorded logits, int k) {
        int n = logits.size();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits.valueAt(i));
        }
        double sum = 0;
        int[] best = new int[Math.min(k, n)];
        float[] bestLogit = new float[best.length];
        Arrays.fill(bestLogit, Float.NEGATIVE_INFINITY);
        Arrays.fill(best, -1);
        for (int i = 0; i < n; i++) {
            float v = logits.valueAt(i);
            if (Float.isNaN(v)) {
                continue;
            }
            sum += Math.exp(v - max);
            int slot = best.length - 1;
            if (best.length == 0 || v <= bestLogit[slot]) {
                continue;
            }
            while (slot > 0 && v > bestLogit[slot - 1]) { // insertion into a short sorted list
                bestLogit[slot] = bestLogit[slot - 1];
                best[slot] = best[slot - 1];
                slot--;
            }
            bestLogit[slot] = v;
            best[slot] = i;
        }
        int count = 0;
        while (count < best.length && best[count] >= 0) {
            count++;
        }
        float[] probs = new float[count];
        for (int i = 0; i < count; i++) {
            probs[i] = (float) (Math.exp(bestLogit[i] - max) / sum);
        }
        return new TopTokens(Arrays.copyOf(best, count), probs);
    }

    public int size() {
        return ids.length;
    }

    public int id(int rank) {
        return ids[rank];
    }

    public float probability(int rank) {
        return probs[rank];
    }

    /** Probability of a token if it is among the kept ones, else NaN. */
    public float probabilityOf(int tokenId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == tokenId) {
                return probs[i];
            }
        }
        return Float.NaN;
    }
}
