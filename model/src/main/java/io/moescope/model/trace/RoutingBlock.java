package io.moescope.model.trace;

import java.util.Arrays;

/**
 * The id-only routing of a run of consecutive positions of one sequence, in columns: what an imported recording
 * holds (chosen experts, no scores, no weights), handed to a sink in one call instead of one
 * {@link RoutingDecision} per token and layer plus a {@link TokenEmitted} per token. Not a {@link TraceEvent}: a
 * sink that has no use for the columns gets the same events from {@link #expand(TraceSink)}
 * ({@link TraceSink#acceptBlock}'s default), so a trace written from a block reads like one written event by event.
 *
 * <p>The arrays are the block's: the sender builds them for this block and does not touch them afterwards, and
 * receivers only read them (they are not copied: a block of 1000 tokens × 58 layers × top-8 is 1.8 MB).
 *
 * @param sequenceId    the open sequence
 * @param firstPosition position of the block's first token; token t is at {@code firstPosition + t}
 * @param tokens        number of positions
 * @param moeLayers     decoder layer of each MoE layer index, as {@link ModelShape#moeLayers()}
 * @param topK          experts per token and layer (k)
 * @param experts       [MoE layer index][t·k + j] the j-th chosen expert of token t, each in [0, E)
 * @param tokenIds      [t] the token ids
 * @param phase         the phase of every token of the block
 */
public record RoutingBlock(
        long sequenceId,
        int firstPosition,
        int tokens,
        int[] moeLayers,
        int topK,
        int[][] experts,
        int[] tokenIds,
        Phase phase) {

    private static final float[] NONE = new float[0];

    public RoutingBlock {
        if (tokens < 0 || firstPosition < 0 || topK <= 0) {
            throw new IllegalArgumentException(
                    tokens + " tokens from position " + firstPosition + ", top-" + topK + " in a routing block");
        }
        if (experts.length != moeLayers.length || tokenIds.length != tokens) {
            throw new IllegalArgumentException(experts.length + " expert columns for " + moeLayers.length
                    + " MoE layers, " + tokenIds.length + " token ids for " + tokens + " tokens");
        }
        for (int[] column : experts) {
            if (column.length != tokens * topK) {
                throw new IllegalArgumentException(
                        "an expert column of " + column.length + " ids for " + tokens + " tokens × top-" + topK);
            }
        }
    }

    /** The experts of one MoE layer index, [t·k + j]: the block's own array, read it only. */
    @Override
    public int[][] experts() {
        return experts;
    }

    /** The j-th chosen expert of token t in MoE layer index i. */
    public int expert(int i, int t, int j) {
        return experts[i][t * topK + j];
    }

    /** Sends the block as the events it stands for: per token, its layers' decisions (weights NaN), then the token. */
    public void expand(TraceSink sink) {
        float[] nan = new float[topK];
        Arrays.fill(nan, Float.NaN);
        int[] ids = new int[topK];
        for (int t = 0; t < tokens; t++) {
            int position = firstPosition + t;
            for (int i = 0; i < moeLayers.length; i++) {
                System.arraycopy(experts[i], t * topK, ids, 0, topK);
                sink.accept(new RoutingDecision(
                        sequenceId,
                        position,
                        moeLayers[i],
                        NONE,
                        NONE,
                        null,
                        null,
                        ids,
                        nan,
                        Float.NaN,
                        Float.NaN,
                        Float.NaN));
            }
            sink.accept(new TokenEmitted(sequenceId, position, tokenIds[t], "", phase));
        }
    }

    /** The same routing under another sequence id and first position (the arrays are shared, not copied). */
    public RoutingBlock at(long sequence, int first) {
        return new RoutingBlock(sequence, first, tokens, moeLayers, topK, experts, tokenIds, phase);
    }
}
