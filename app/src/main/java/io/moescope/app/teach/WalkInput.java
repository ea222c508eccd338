package io.moescope.app.teach;

import io.moescope.model.api.LayerCapture;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import java.util.Objects;

/**
 * What the walkthrough knows about one (token, layer): the trace's routing decision and, where the model that made
 * it is open, the engine's full capture of the same run (then the decision is that run's own).
 *
 * @param shape     the model's MoE shape
 * @param position  absolute position of the token
 * @param token     the token's display text
 * @param decision  the routing decision from the trace
 * @param capture   every vector of the layer, or null (a replayed trace)
 */
public record WalkInput(ModelShape shape, int position, String token, RoutingDecision decision, LayerCapture capture) {

    public WalkInput {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(decision, "decision");
    }

    public int layer() {
        return decision.layer();
    }

    public boolean hasWeights() {
        return capture != null;
    }

    public RoutingVariant variant() {
        return capture != null ? RoutingVariant.of(shape, capture) : RoutingVariant.of(shape, decision);
    }
}
