package io.moescope.model.layer;

/** Self-attention of one decoder layer; its per-sequence state lives in the {@link KvCache} it creates. */
public interface AttentionLayer {

    /** A fresh, empty cache for one sequence. */
    KvCache newCache();

    /**
     * Attends the {@code tokens} new positions (starting at cache.length()) to themselves and the cache, appending
     * their keys and values.
     *
     * @param x   [tokens, H] normalised hidden states
     * @param out [tokens, H] attention output (after o_proj)
     */
    void forward(float[] x, int tokens, KvCache cache, float[] out);

    long weightBytes();
}
