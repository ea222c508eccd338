package io.moescope.app.recording;

import io.moescope.model.trace.ExpertCounts;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;

/**
 * Numbers the positions of an imported recording's many sequences (one per request or per pass) on, for a store
 * that {@link io.moescope.app.session.TraceStore#joinSequences() joins} them: the store shows and counts the whole
 * recording, and each sequence stays a chunk of the diagnosis. One writer thread.
 */
final class OneSequence implements TraceSink {

    private static final long ID = 1;

    private final TraceSink target;
    private int offset; // positions of the sequences already joined
    private int positions; // one past the highest position of the open one

    OneSequence(TraceSink target) {
        this.target = target;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof SequenceStarted s) {
            target.accept(new SequenceStarted(ID, s.shape())); // a joined store: a chunk boundary after the first
        } else if (event instanceof RoutingDecision d) {
            target.accept(new RoutingDecision(
                    ID,
                    offset + d.position(),
                    d.layer(),
                    d.routerLogits(),
                    d.scores(),
                    d.selectionScores(),
                    d.keptGroups(),
                    d.experts(),
                    d.weights(),
                    d.routedNorm(),
                    d.sharedNorm(),
                    d.sharedGate()));
        } else if (event instanceof TokenEmitted t) {
            target.accept(new TokenEmitted(ID, offset + t.position(), t.tokenId(), t.text(), t.phase()));
            positions = Math.max(positions, t.position() + 1);
        } else if (event instanceof ExpertCounts c) {
            target.accept(new ExpertCounts(ID, c.layer(), c.counts()));
        } else if (event instanceof SequenceFinished) {
            offset += positions;
            target.accept(new SequenceFinished(ID, offset, StopReason.RECORDED));
            positions = 0;
        }
    }

    @Override
    public void acceptBlock(RoutingBlock block) {
        target.acceptBlock(block.at(ID, offset + block.firstPosition()));
        positions = Math.max(positions, block.firstPosition() + block.tokens());
    }

    /** Positions numbered so far (all finished sequences). */
    int positions() {
        return offset + positions;
    }
}
