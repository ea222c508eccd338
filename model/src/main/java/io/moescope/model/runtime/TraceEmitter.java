package io.moescope.model.runtime;

import io.moescope.model.layer.LayerRouting;
import io.moescope.model.layer.Route;
import io.moescope.model.trace.DenseLayerOutput;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceSink;
import java.util.Arrays;
import java.util.List;

/** Turns what a forward pass captured into trace events, position by position (routing, token, logits). */
final class TraceEmitter {

    private final TraceSink sink;
    private final long sequenceId;
    private final long startNanos = System.nanoTime(); // tokens carry their time since here

    TraceEmitter(TraceSink sink, long sequenceId) {
        this.sink = sink;
        this.sequenceId = sequenceId;
    }

    /**
     * Routing events (dense-layer outputs for the dense layers) of batch row {@code row} (absolute position
     * {@code position}) for every captured layer, in layer order.
     */
    void routing(List<LayerRouting> captured, int row, int position) {
        for (LayerRouting lr : captured) {
            if (lr.dense) {
                sink.accept(new DenseLayerOutput(sequenceId, position, lr.layer, lr.sharedNorm[row]));
                continue;
            }
            Route r = lr.routes[row];
            float[] selection = r.selectionScores() == r.scores() ? null : r.selectionScores();
            sink.accept(new RoutingDecision(
                    sequenceId,
                    position,
                    lr.layer,
                    lr.logits[row],
                    r.scores(),
                    selection,
                    r.keptGroups(),
                    r.experts(),
                    r.weights(),
                    lr.routedNorm[row],
                    lr.sharedNorm[row],
                    lr.sharedGate[row]));
        }
    }

    void token(int position, int id, String text, Phase phase) {
        token(position, id, text, phase, false);
    }

    void token(int position, int id, String text, Phase phase, boolean fromTemplate) {
        sink.accept(
                new TokenEmitted(sequenceId, position, id, text, phase, System.nanoTime() - startNanos, fromTemplate));
    }

    void logits(float[] logits, int row, int vocab, int position) {
        if (sink.wantsLogits()) {
            // the event copies what it is given: a decode step's one row goes in as it is (one copy, not two)
            float[] values =
                    logits.length == vocab ? logits : Arrays.copyOfRange(logits, row * vocab, (row + 1) * vocab);
            sink.accept(new LogitsRecorded(sequenceId, position, values));
        }
    }
}
