package io.moescope.model.family;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.layer.RoutingRule;

/**
 * {@code deepseek_v3} (spec §4): MLA with q-LoRA, sigmoid scores, noaux_tc selection with
 * {@code e_score_correction_bias} (selection only), normalised then × routed_scaling_factor.
 */
final class DeepseekV3 extends DeepseekBase {

    private static final String BIAS = "gate.e_score_correction_bias";

    DeepseekV3() {
        super(
                Parts.Attention.MLA,
                ExpertLayout.fused("mlp.").withSelectionBias(BIAS),
                ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")
                        .withSelectionBias(BIAS));
    }

    @Override
    public String modelType() {
        return "deepseek_v3";
    }

    @Override
    boolean normDefault() {
        return true;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return mlaRouting(c, false);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp has no separate V3 architecture: deepseek2 with exp_probs_b and sigmoid gating
        return mlaTensors(ggufBase("deepseek2"))
                .tensor(GgufForm.L + "mlp." + BIAS, "blk.{N}.exp_probs_b.bias")
                .build();
    }
}
