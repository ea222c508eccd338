package io.moescope.model.family;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.layer.RoutingRule;

/**
 * {@code deepseek}, DeepSeekMoE-16B (spec §2): standard MHA, softmax greedy top-k, normalised iff k > 1 ∧ flag.
 * MoE Scope's own DeepSeekMoE models trained with auxiliary-loss-free balancing (resources/models, docs/training.md)
 * also carry DeepSeek-V3's {@code gate.e_score_correction_bias}, added to the scores for selection only; it is read
 * when present (released DeepSeekMoE checkpoints have none).
 */
final class DeepseekV1 extends DeepseekBase {

    private static final String BIAS = "gate.e_score_correction_bias";

    DeepseekV1() {
        super(
                Parts.Attention.STANDARD,
                ExpertLayout.fused("mlp.").withSelectionBias(BIAS),
                ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")
                        .withSelectionBias(BIAS));
    }

    @Override
    public boolean shipsSelectionBias() {
        return false;
    }

    @Override
    public String modelType() {
        return "deepseek";
    }

    @Override
    boolean normDefault() {
        return false;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        int k = c.topK();
        return new RoutingRule(c.softmaxScoring(), "greedy", 1, 1, k, k > 1 && c.normTopkProb(), 1.0, false, true);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp permutes q/k rows of this architecture back to interleaved RoPE (gguf.md §3.4)
        return ggufBase("deepseek")
                .permutedQk()
                .attention(false)
                .fixed("norm_topk_prob", false)
                .build();
    }
}
