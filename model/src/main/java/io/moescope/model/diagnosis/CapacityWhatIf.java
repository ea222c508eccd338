package io.moescope.model.diagnosis;

/**
 * What a capacity factor would have dropped (Switch/GShard token dropping; the engines here are dropless).
 * Per chunk of T tokens every expert accepts capacity = ⌈C · T · k / E⌉ token-slots; slots arrive in token
 * order (and, within a token, in the order of its chosen experts) and those beyond an expert's capacity are
 * dropped. Accumulates over chunks for several factors at once; one instance per MoE layer.
 */
public final class CapacityWhatIf {

    private final double[] factors;
    private final int experts;
    private final int topK;
    private final long[] droppedSlots;
    private final long[] affectedTokens;
    private long slots;
    private long tokens;

    public CapacityWhatIf(double[] factors, int experts, int topK) {
        for (double f : factors) {
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("a capacity factor must be a positive number, got " + f);
            }
        }
        this.factors = factors.clone();
        this.experts = experts;
        this.topK = topK;
        this.droppedSlots = new long[factors.length];
        this.affectedTokens = new long[factors.length];
    }

    /** A copy with the same sums, which then accumulates independently. */
    CapacityWhatIf copy() {
        CapacityWhatIf c = new CapacityWhatIf(factors, experts, topK);
        System.arraycopy(droppedSlots, 0, c.droppedSlots, 0, droppedSlots.length);
        System.arraycopy(affectedTokens, 0, c.affectedTokens, 0, affectedTokens.length);
        c.slots = slots;
        c.tokens = tokens;
        return c;
    }

    /** Capacity per expert: ⌈C·T·k/E⌉ (a 1e-9 tolerance keeps 1.2·10·4/16 = 3 from becoming 4). */
    public static int capacity(double factor, int tokens, int topK, int experts) {
        return (int) Math.ceil(factor * tokens * topK / experts - 1e-9);
    }

    /**
     * Simulates one chunk. selections holds the chosen experts token by token ([T·k], row-major).
     *
     * @return {dropped token-slots, tokens with at least one dropped slot}
     */
    public static long[] simulate(int[] selections, int tokens, int topK, int experts, double factor) {
        int cap = capacity(factor, tokens, topK, experts);
        int[] used = new int[experts];
        long dropped = 0;
        long affected = 0;
        for (int t = 0; t < tokens; t++) {
            boolean hit = false;
            for (int j = 0; j < topK; j++) {
                int e = selections[t * topK + j];
                if (used[e] >= cap) {
                    dropped++;
                    hit = true;
                } else {
                    used[e]++;
                }
            }
            if (hit) {
                affected++;
            }
        }
        return new long[] {dropped, affected};
    }

    /** Adds one chunk (see {@link #simulate}). */
    public void addChunk(int[] selections, int chunkTokens) {
        if (chunkTokens == 0) {
            return;
        }
        for (int f = 0; f < factors.length; f++) {
            long[] r = simulate(selections, chunkTokens, topK, experts, factors[f]);
            droppedSlots[f] += r[0];
            affectedTokens[f] += r[1];
        }
        slots += (long) chunkTokens * topK;
        tokens += chunkTokens;
    }

    /** One result per factor, in the order given. */
    public CapacityResult[] results() {
        CapacityResult[] out = new CapacityResult[factors.length];
        for (int f = 0; f < factors.length; f++) {
            out[f] = new CapacityResult(
                    factors[f],
                    droppedSlots[f],
                    slots,
                    slots == 0 ? 0 : (double) droppedSlots[f] / slots,
                    tokens == 0 ? 0 : (double) affectedTokens[f] / tokens);
        }
        return out;
    }

    /**
     * @param droppedFraction  dropped token-slots / all token-slots
     * @param affectedFraction tokens with at least one dropped slot / tokens
     */
    public record CapacityResult(
            double factor, long droppedSlots, long slots, double droppedFraction, double affectedFraction) {}
}
