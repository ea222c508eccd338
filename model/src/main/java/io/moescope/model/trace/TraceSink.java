package io.moescope.model.trace;

import java.util.List;

/**
 * Where the engine sends trace events. Called on the inference thread: return quickly, never block, never
 * touch a UI toolkit. The engine checks {@link #enabled()} before building an event, so a disabled sink costs
 * nothing.
 */
public interface TraceSink {

    TraceSink DISABLED = new TraceSink() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void accept(TraceEvent event) {}
    };

    boolean enabled();

    void accept(TraceEvent event);

    /** True if this sink wants next-token logits (they are large: V floats per position). */
    default boolean wantsLogits() {
        return false;
    }

    /**
     * The id-only routing of consecutive positions in columns (an imported recording). By default the block is
     * turned into the events it stands for; a sink that can take the columns as they are overrides this.
     */
    default void acceptBlock(RoutingBlock block) {
        block.expand(this);
    }

    /** A sink that forwards to every enabled sink of the list; DISABLED if none is enabled. */
    static TraceSink fanOut(List<TraceSink> sinks) {
        List<TraceSink> live = sinks.stream().filter(TraceSink::enabled).toList();
        if (live.isEmpty()) {
            return DISABLED;
        }
        if (live.size() == 1) {
            return live.get(0);
        }
        boolean logits = live.stream().anyMatch(TraceSink::wantsLogits);
        return new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public boolean wantsLogits() {
                return logits;
            }

            @Override
            public void accept(TraceEvent event) {
                for (TraceSink sink : live) {
                    sink.accept(event);
                }
            }

            @Override
            public void acceptBlock(RoutingBlock block) {
                for (TraceSink sink : live) {
                    sink.acceptBlock(block);
                }
            }
        };
    }
}
