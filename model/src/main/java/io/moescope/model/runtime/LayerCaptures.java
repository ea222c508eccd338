package io.moescope.model.runtime;

import io.moescope.model.api.LayerCapture;
import io.moescope.model.layer.LayerProbe;
import io.moescope.model.layer.Route;
import io.moescope.model.layer.RoutingRule;

/** Turns a filled engine {@link LayerProbe} into the public {@link LayerCapture} (copies every array). */
final class LayerCaptures {

    private LayerCaptures() {}

    static LayerCapture of(LayerProbe p, int position) {
        if (!p.filled()) {
            throw new IllegalStateException("layer " + p.layer + " did not run as an MoE layer");
        }
        Route r = p.route;
        RoutingRule rule = p.rule;
        boolean groups = !rule.method().equals("greedy") && rule.nGroup() > 1;
        LayerCapture.Rule api = new LayerCapture.Rule(
                rule.softmax(),
                rule.method(),
                groups ? rule.nGroup() : 1,
                groups ? rule.topkGroup() : 1,
                p.topK,
                rule.normalize(),
                rule.scale(),
                rule.scaleOnlyIfNotNormalized(),
                rule.normEpsilon());
        return new LayerCapture(
                p.layer,
                position,
                api,
                p.residualIn,
                p.hiddenIn,
                p.logits,
                r.scores(),
                p.bias,
                r.keptGroups(),
                p.ablated,
                p.forced,
                r.experts(),
                r.weights(),
                p.expertOutputs,
                p.routedSum,
                p.sharedRaw,
                p.sharedGate,
                p.shared,
                p.moeOut,
                p.residualOut,
                p.expertScale,
                p.residualMultiplier,
                p.outputScale);
    }
}
