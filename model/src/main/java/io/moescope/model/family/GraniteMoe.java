package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import io.moescope.model.trace.AlwaysOnPart;
import java.util.List;

/**
 * {@code granitemoe} and {@code granitemoeshared} (IBM Granite 3.0/3.1 MoE; transformers modeling_granitemoe.py,
 * modeling_granitemoeshared.py): Mixtral-like GQA and SwiGLU experts with four multipliers: the embedding ×
 * {@code embedding_multiplier}, q·k × {@code attention_multiplier} (instead of 1/√head_dim), each attention and MoE
 * output × {@code residual_multiplier} before it joins the residual stream, the logits ÷ {@code logits_scaling}.
 * Router without bias: top-k of the logits, then softmax over those k (= the full softmax renormalised over them).
 * Experts fused as saved ({@code block_sparse_moe.input_linear.weight [E, 2I, H]}, gate rows then up rows,
 * {@code output_linear.weight [E, H, I]}, router {@code router.layer.weight}) or under transformers' in-memory
 * names. granitemoeshared adds an unweighted shared MLP of width {@code shared_intermediate_size} at the layer
 * ({@code shared_mlp.input_linear} [2S, H], {@code shared_mlp.output_linear} [H, S]); 0 means none.
 */
final class GraniteMoe implements ModelFamily {

    private static final String MOE = "block_sparse_moe.";

    private final boolean withShared;
    private final Parts parts;

    GraniteMoe(boolean withShared) {
        this.withShared = withShared;
        this.parts = new Parts(
                Parts.Attention.STANDARD,
                null,
                List.of(
                        ExpertLayout.fusedNamed(
                                MOE, "router.layer.weight", "input_linear.weight", "output_linear.weight"),
                        ExpertLayout.fusedNamed(MOE, "router.weight", null, null)),
                Parts.Activation.SWIGLU,
                withShared
                        ? new Parts.SharedExpert(
                                "shared_mlp.", null, "input_linear.weight", "output_linear.weight", true)
                        : null,
                null);
    }

    @Override
    public String modelType() {
        return withShared ? "granitemoeshared" : "granitemoe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int shared = withShared ? k.optInt("shared_intermediate_size", 0) : 0;
        FamilyExtras extras = new FamilyExtras(
                multiplier(k, "embedding_multiplier"),
                multiplier(k, "attention_multiplier"),
                multiplier(k, "residual_multiplier"),
                multiplier(k, "logits_scaling"),
                1,
                false,
                0);
        boolean bias = k.optBool("attention_bias", false);
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("num_local_experts", "num_experts"), k.posInt("intermediate_size"))
                .shared(shared > 0 ? 1 : 0, shared)
                .normTopkProb(true)
                .moeLayers(LayerRules.allLayers(layers))
                .qkvBias(bias)
                .outputBias(bias)
                .extras(extras)
                .build();
    }

    /** granitemoeshared's shared_mlp, under its own name. */
    @Override
    public AlwaysOnPart alwaysOn(ModelConfig c, int layer) {
        AlwaysOnPart part = ModelFamily.super.alwaysOn(c, layer);
        return part.kind() == AlwaysOnPart.Kind.SHARED_EXPERTS ? part.named("shared MLP") : part;
    }

    /** A multiplier: a positive number, 1 when absent (GraniteMoeConfig's default). */
    private static double multiplier(ConfigKeys k, String key) throws ModelLoadException {
        double m = k.optDouble(key, 1.0);
        if (!(m > 0) || Double.isInfinite(m)) {
            throw k.error("\"" + key + "\" must be a positive number, got " + m);
        }
        return m;
    }

    @Override
    public Parts parts() {
        return parts;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return RoutingRule.softmaxTopK(c.topK(), true);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp "granitemoe" (LLM_ARCH_GRANITE_MOE; granitemoeshared converts to the same architecture with the
        // _shexp tensors); the converter splits the fused input_linear into the gate and up stacks and stores the
        // expert width as feed_forward_length (checked against llama.cpp v0.4.0's converter)
        String e = GgufForm.L + MOE;
        GgufForm.Builder b = GgufForm.of("granitemoe")
                .attention(false)
                .tensor(e + "router.layer.weight", "blk.{N}.ffn_gate_inp.weight")
                .tensor(e + "input_linear.weight[gate]", "blk.{N}.ffn_gate_exps.weight")
                .tensor(e + "input_linear.weight[up]", "blk.{N}.ffn_up_exps.weight")
                .tensor(e + "output_linear.weight", "blk.{N}.ffn_down_exps.weight")
                .key("num_local_experts", "expert_count")
                .key("intermediate_size", "feed_forward_length")
                .key("embedding_multiplier", "embedding_scale")
                .key("residual_multiplier", "residual_scale")
                .key("attention_multiplier", "attention.scale")
                .key("logits_scaling", "logit_scale");
        if (withShared) {
            String s = GgufForm.L + "shared_mlp.";
            b.tensor(s + "input_linear.weight[gate]", "blk.{N}.ffn_gate_shexp.weight")
                    .tensor(s + "input_linear.weight[up]", "blk.{N}.ffn_up_shexp.weight")
                    .tensor(s + "output_linear.weight", "blk.{N}.ffn_down_shexp.weight")
                    .key("shared_intermediate_size", "expert_shared_feed_forward_length");
        }
        return b.build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
