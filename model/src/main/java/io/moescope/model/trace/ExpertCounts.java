package io.moescope.model.trace;

/**
 * Token×top-k assignments per expert of one MoE layer, for sources that recorded only counts (an SGLang stat or
 * per_pass dump, a count CSV): what {@link RoutingDecision}s would sum to, without the per-token detail. Consumers
 * that need per-token data (scores, co-activation, windows) must treat counted tokens as unobserved.
 *
 * @param layer  decoder layer index (an MoE layer of the sequence's shape)
 * @param counts assignments per routed expert [E], each ≥ 0
 */
public record ExpertCounts(long sequenceId, int layer, long[] counts) implements TraceEvent {

    public ExpertCounts {
        counts = counts.clone();
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative expert count " + c + " in layer " + layer);
            }
        }
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Σ counts: assignments in this layer. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
