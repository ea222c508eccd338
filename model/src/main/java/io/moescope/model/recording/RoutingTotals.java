package io.moescope.model.recording;

import io.moescope.model.trace.ExpertCounts;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;

/** Sums routing decisions and recorded counts into totals [decoder layer][expert] (dense layers stay zero). */
public final class RoutingTotals implements TraceSink {

    private ModelShape shape;
    private long[][] totals;

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof SequenceStarted s && totals == null) {
            shape = s.shape();
            totals = new long[shape.layerCount()][shape.routedExperts()];
        } else if (event instanceof RoutingDecision d) {
            for (int e : d.experts()) {
                totals[d.layer()][e]++;
            }
        } else if (event instanceof ExpertCounts c) {
            long[] v = c.counts();
            for (int e = 0; e < v.length; e++) {
                totals[c.layer()][e] += v[e];
            }
        }
    }

    /** The model shape of the first sequence, null before it. */
    public ModelShape shape() {
        return shape;
    }

    /** Totals [layer][expert], a copy (empty before the first sequence). */
    public long[][] totals() {
        if (totals == null) {
            return new long[0][];
        }
        long[][] out = new long[totals.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = totals[i].clone();
        }
        return out;
    }
}
