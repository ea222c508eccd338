package io.moescope.model.family;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.layer.RoutingRule;

/**
 * {@code deepseek_v2} (spec §3): MLA, softmax, greedy or group-limited top-k; normalisation and
 * routed_scaling_factor are exclusive (the remote code's rule).
 */
final class DeepseekV2 extends DeepseekBase {

    DeepseekV2() {
        super(Parts.Attention.MLA);
    }

    @Override
    public String modelType() {
        return "deepseek_v2";
    }

    @Override
    boolean normDefault() {
        return false;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return mlaRouting(c, true);
    }

    @Override
    public GgufForm gguf() {
        return mlaTensors(ggufBase("deepseek2")).build();
    }
}
