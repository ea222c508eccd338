package io.moescope.model.trace;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event in memory, in order (tests, comparisons, small sessions). */
public final class TraceRecorder implements TraceSink {

    private final List<TraceEvent> events = new ArrayList<>();
    private final boolean logits;

    public TraceRecorder(boolean logits) {
        this.logits = logits;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean wantsLogits() {
        return logits;
    }

    @Override
    public synchronized void accept(TraceEvent event) {
        events.add(event);
    }

    public synchronized List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** Events of one type, in order. */
    public synchronized <T extends TraceEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }
}
