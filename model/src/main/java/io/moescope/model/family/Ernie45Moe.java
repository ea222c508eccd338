package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ernie4_5_moe} (ERNIE-4.5-21B-A3B and -300B-A47B text models; transformers modeling_ernie4_5_moe.py): GQA
 * with RoPE in the interleaved layout (2i pairs with 2i+1) over the whole head, {@code use_bias} on q/k/v/o and on
 * the dense and shared MLPs (not on the routed experts); router in float32: softmax over all experts, selection on
 * softmax + {@code moe_statics.e_score_correction_bias}, the chosen softmax values always divided by
 * max(their sum, {@code moe_norm_min}); {@code moe_num_shared_experts} added unweighted; MoE layers are
 * moe_layer_start_index ≤ l ≤ moe_layer_end_index (−1 = the last) with (l+1) mod moe_layer_interval = 0.
 */
final class Ernie45Moe implements ModelFamily {

    /** [1, E]: one row per modality; the text models have one. Named under gate. in transformers' fused layout. */
    private static final String STATICS = "moe_statics.e_score_correction_bias";

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            List.of(
                    ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")
                            .withSelectionBias(STATICS),
                    ExpertLayout.fused("mlp.").withSelectionBias("gate." + STATICS)),
            Parts.Activation.SWIGLU,
            new Parts.SharedExpert("shared_experts.", null),
            "mlp.",
            Parts.RopeLayout.INTERLEAVED);

    @Override
    public String modelType() {
        return "ernie4_5_moe";
    }

    @Override
    public String[] topKKeys() {
        return new String[] {"moe_k", "num_experts_per_tok"};
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("moe_num_experts", "num_experts");
        int width = k.posInt("moe_intermediate_size");
        int shared = k.optInt("moe_num_shared_experts", 0);
        boolean bias = k.optBool("use_bias", false);
        double normMin = k.optDouble("moe_norm_min", 1e-12);
        if (!(normMin > 0)) {
            throw k.error("moe_norm_min must be positive, got " + normMin);
        }
        FamilyExtras extras = new FamilyExtras(1, Double.NaN, 1, 1, 1, bias, normMin);
        return FamilySettings.forLayers(layers)
                .routed(routed, width)
                .shared(shared, shared * width)
                .normTopkProb(true)
                .moeLayers(moeLayers(k, layers))
                .qkvBias(bias)
                .outputBias(bias)
                .extras(extras)
                .build();
    }

    /** (l+1) mod interval = 0 ∧ start ≤ l ≤ end, end −1 meaning the last layer (Ernie4_5_MoeConfig). */
    private static int[] moeLayers(ConfigKeys k, int layers) throws ModelLoadException {
        int interval = k.optInt("moe_layer_interval", 1);
        if (interval <= 0) {
            throw k.error("moe_layer_interval must be positive, got " + interval);
        }
        int start = k.optInt("moe_layer_start_index", 1);
        int end = k.optInt("moe_layer_end_index", -1);
        end = end == -1 ? layers - 1 : end;
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if ((l + 1) % interval == 0 && l >= start && l <= end) {
                out.add(l);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return new RoutingRule(
                true,
                "greedy",
                1,
                1,
                c.topK(),
                true,
                1.0,
                false,
                false,
                c.extras().routerNormFloor());
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp "ernie4_5-moe" (LLM_ARCH_ERNIE4_5_MOE)
        return GgufForm.of("ernie4_5-moe")
                .attention(false)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .denseMlp()
                .shared("mlp.shared_experts.")
                .tensor(GgufForm.L + "mlp." + STATICS, "blk.{N}.exp_probs_b.bias")
                .key("moe_num_experts", "expert_count")
                .key("moe_k", "expert_used_count")
                .key("moe_num_shared_experts", "expert_shared_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("intermediate_size", "feed_forward_length")
                .key("moe_layer_start_index", "leading_dense_block_count")
                .key("moe_layer_interval", "interleave_moe_layer_step")
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
