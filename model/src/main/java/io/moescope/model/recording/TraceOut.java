package io.moescope.model.recording;

import io.moescope.model.trace.ExpertCounts;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceSink;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * Turns what an importer found into trace events for one sink, numbering sequences and checking every id against
 * the model shape. Per-token sources become id-only {@link RoutingDecision}s (no scores; weights NaN unless the
 * source has them); count-only sources become {@link ExpertCounts}. Events go straight to the sink: nothing is
 * buffered, so a large recording streams into a trace writer.
 */
public final class TraceOut {

    /** Reason of every imported sequence's end line. */
    public static final StopReason REASON = StopReason.RECORDED;

    private static final float[] NONE = new float[0];

    private final ModelShape shape;
    private final TraceSink sink;
    private final String source;
    private long sequence;
    private int positions;
    private boolean open;
    private long tokens;
    private long countSequences;
    private final ImportProgress progress;
    private int file;
    private int files = 1;

    public TraceOut(ModelShape shape, TraceSink sink, String source) {
        this(shape, sink, source, ImportProgress.NONE);
    }

    /** @param progress told how far the import is, and asked whether to stop (checked every 1024 tokens) */
    public TraceOut(ModelShape shape, TraceSink sink, String source, ImportProgress progress) {
        this.shape = shape;
        this.sink = sink;
        this.source = source;
        this.progress = progress;
    }

    /** The import is at file {@code index} of {@code count}. */
    void file(int index, int count) throws CancellationException {
        file = index;
        files = count;
        within(0);
    }

    /** {@code fraction} of the current file is done; throws if the import was cancelled. */
    void within(double fraction) throws CancellationException {
        if (progress.cancelled()) {
            throw new CancellationException("import cancelled");
        }
        progress.update((file + Math.min(1.0, Math.max(0.0, fraction))) / files, tokens);
    }

    public ModelShape shape() {
        return shape;
    }

    /** Starts a new sequence with continuous sequence ids across all files of one import. */
    public void begin() {
        end();
        sink.accept(new SequenceStarted(++sequence, shape));
        positions = 0;
        open = true;
    }

    /**
     * The routing of one token at the next position: experts[MoE layer index][k] logical ids (null row: layer not
     * recorded), weights likewise or null; then the token itself.
     */
    public void token(int tokenId, Phase phase, int[][] experts, float[][] weights) throws RecordingException {
        int[] moe = shape.moeLayers();
        for (int i = 0; i < moe.length; i++) {
            int[] ids = experts[i];
            if (ids == null) {
                continue;
            }
            if (ids.length != shape.topK()) {
                throw new RecordingException("a token routes to " + ids.length + " experts in layer " + moe[i]
                        + " but the model routes top-" + shape.topK());
            }
            for (int e : ids) {
                checkExpert(e, moe[i]);
            }
            float[] w = weights == null || weights[i] == null ? nan(ids.length) : weights[i];
            // the record copies its arrays: the caller may reuse ids, and the NaN row is shared
            sink.accept(new RoutingDecision(
                    sequence, positions, moe[i], NONE, NONE, null, null, ids, w, Float.NaN, Float.NaN, Float.NaN));
        }
        sink.accept(new TokenEmitted(sequence, positions, tokenId, "", phase));
        positions++;
        tokens++;
        if ((tokens & 1023) == 0 && progress.cancelled()) {
            throw new CancellationException("import cancelled");
        }
    }

    /**
     * Consecutive tokens of the open sequence routed through every MoE layer, in columns: experts[MoE layer
     * index][t·k + j] logical ids (handed over: the caller builds them for this call), tokenIds[t]. One
     * {@link RoutingBlock} for the sink, the same as {@link #token} per token for a sink that expands it.
     */
    void block(int[] tokenIds, Phase phase, int[][] experts) throws RecordingException {
        int[] moe = shape.moeLayers();
        int k = shape.topK();
        for (int i = 0; i < moe.length; i++) {
            for (int e : experts[i]) {
                if (e < 0 || e >= shape.routedExperts()) {
                    checkExpert(e, moe[i]);
                }
            }
        }
        sink.acceptBlock(new RoutingBlock(sequence, positions, tokenIds.length, moe, k, experts, tokenIds, phase));
        positions += tokenIds.length;
        tokens += tokenIds.length;
        if (progress.cancelled()) {
            throw new CancellationException("import cancelled");
        }
    }

    /** One sequence of per-layer counts [MoE layer index][E]. */
    public void counts(long[][] byMoeLayer) throws RecordingException {
        int[] moe = shape.moeLayers();
        if (byMoeLayer.length != moe.length) {
            throw new RecordingException(byMoeLayer.length + " count rows for " + moe.length + " MoE layers");
        }
        begin();
        for (int i = 0; i < moe.length; i++) {
            if (byMoeLayer[i].length != shape.routedExperts()) {
                throw new RecordingException(byMoeLayer[i].length + " counts in layer " + moe[i] + " for "
                        + shape.routedExperts() + " experts");
            }
            sink.accept(new ExpertCounts(sequence, moe[i], byMoeLayer[i]));
        }
        countSequences++;
        end();
    }

    /** Ends the open sequence, if any. */
    public void end() {
        if (open) {
            sink.accept(new SequenceFinished(sequence, positions, REASON));
            open = false;
        }
    }

    public void checkExpert(int e, int layer) throws RecordingException {
        if (e < 0 || e >= shape.routedExperts()) {
            throw new RecordingException("expert id " + e + " in layer " + layer + " is outside [0, "
                    + shape.routedExperts() + ") of the model config");
        }
    }

    /** Sequences written so far. */
    public long sequences() {
        return sequence;
    }

    /** Tokens written as routing decisions so far. */
    public long tokens() {
        return tokens;
    }

    /** Sequences that hold counts only. */
    public long countSequences() {
        return countSequences;
    }

    public String source() {
        return source;
    }

    private float[] nanRow = new float[0];

    /** n NaN weights, shared between calls (never handed out: RoutingDecision copies it). */
    private float[] nan(int n) {
        if (nanRow.length != n) {
            nanRow = new float[n];
            Arrays.fill(nanRow, Float.NaN);
        }
        return nanRow;
    }
}
