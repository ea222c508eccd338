package io.moescope.app.teach;

import io.moescope.app.session.EngineService;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.api.CapturePoint;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Finds the numbers of one (token, layer) on the engine thread. With the run's own model open, it re-runs the run's
 * tokens up to that position as one prefill with the run's intervention and takes the engine's {@link LayerCapture}
 * together with that prefill's routing decision (they are equal by construction). Without it (a replayed trace, or
 * a run whose early positions were dropped), it reads the decision from the run's JSONL trace.
 */
public final class WalkSource {

    /** Loads the walkthrough's input for a position and decoder layer of a run. */
    @FunctionalInterface
    public interface Loader {
        CompletableFuture<WalkInput> load(Run run, TraceSnapshot view, int position, int layer);
    }

    private final EngineService engine;
    private final Supplier<MoeModel> model;

    public WalkSource(EngineService engine, Supplier<MoeModel> model) {
        this.engine = engine;
        this.model = model;
    }

    public CompletableFuture<WalkInput> load(Run run, TraceSnapshot view, int position, int layer) {
        MoeModel m = model.get();
        TokenTrace token = view.at(position);
        String text = token == null ? "#" + position : token.label();
        int[] ids = canRecompute(run, view, m, position) ? ids(view, position) : null;
        Path file = run.traceFile();
        return engine.background(cancelled -> {
            if (ids != null) {
                TraceRecorder trace = new TraceRecorder(false);
                LayerCapture c = new Generator(m)
                        .capture(ids, run.request().intervention(), new CapturePoint(layer, position), trace);
                RoutingDecision d = trace.of(RoutingDecision.class).stream()
                        .filter(r -> r.position() == position && r.layer() == layer)
                        .findFirst()
                        .orElseThrow();
                return new WalkInput(view.shape(), position, text, d, c);
            }
            return new WalkInput(view.shape(), position, text, fromTrace(file, position, layer), null);
        });
    }

    /** The run's model is open and every position up to this one is still in the store. */
    private static boolean canRecompute(Run run, TraceSnapshot view, MoeModel m, int position) {
        return m != null
                && !run.isReplay()
                && view.droppedPositions() == 0
                && position < view.size()
                && m.shape().equals(view.shape());
    }

    private static int[] ids(TraceSnapshot view, int position) {
        int[] ids = new int[position + 1];
        for (int p = 0; p <= position; p++) {
            ids[p] = view.tokens().get(p).tokenId();
        }
        return ids;
    }

    private static RoutingDecision fromTrace(Path file, int position, int layer) throws Exception {
        if (file == null) {
            throw new IllegalArgumentException("this run has no trace file to read the routing from");
        }
        RoutingDecision[] found = new RoutingDecision[1];
        JsonlTraceReader.readWhile(file, event -> {
            if (event instanceof RoutingDecision r && r.position() == position && r.layer() == layer) {
                found[0] = r;
                return false;
            }
            return true;
        });
        if (found[0] == null) {
            throw new IllegalArgumentException(file.getFileName() + ": no routing for position " + position
                    + " in layer " + layer + " (the last sampled token never ran through the model)");
        }
        return found[0];
    }
}
