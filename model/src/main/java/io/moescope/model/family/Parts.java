package io.moescope.model.family;

import java.util.List;

/**
 * The parts of one family's decoder layers and their tensor names, relative to {@code model.layers.L.} (the
 * embedding, norms and head, {@code model.embed_tokens}, {@code input_layernorm}, {@code post_attention_layernorm},
 * {@code model.norm}, {@code lm_head}, are the same in every family, spec §0.2).
 *
 * @param attention     the attention kind
 * @param sinks         per-head attention-sink logits under {@code self_attn.} (gpt_oss "sinks"), null if none
 * @param experts       the routed-expert layouts a checkpoint may use, probed in order (see {@link ExpertLayout})
 * @param activation    the expert / MLP non-linearity
 * @param shared        shared expert(s), null if the family has none
 * @param denseMlp      prefix of the dense MLP of non-MoE layers ({@code gate_proj/up_proj/down_proj})
 * @param rope          how RoPE pairs the dimensions of a standard-attention head
 * @param names         the names of the norms, the attention output and the dense MLP projections
 */
public record Parts(
        Attention attention,
        String sinks,
        List<ExpertLayout> experts,
        Activation activation,
        SharedExpert shared,
        String denseMlp,
        RopeLayout rope,
        Names names) {

    public Parts {
        experts = List.copyOf(experts);
    }

    /** Parts with the standard names. */
    public Parts(
            Attention attention,
            String sinks,
            List<ExpertLayout> experts,
            Activation activation,
            SharedExpert shared,
            String denseMlp,
            RopeLayout rope) {
        this(attention, sinks, experts, activation, shared, denseMlp, rope, Names.STANDARD);
    }

    /** Parts with the half RoPE layout and the standard names. */
    public Parts(
            Attention attention,
            String sinks,
            List<ExpertLayout> experts,
            Activation activation,
            SharedExpert shared,
            String denseMlp) {
        this(attention, sinks, experts, activation, shared, denseMlp, RopeLayout.HALF);
    }

    /**
     * Tensor names that most families share and a few rename (LFM2: operator_norm, ffn_norm, embedding_norm,
     * out_proj, q_layernorm, w1/w3/w2).
     *
     * @param inputNorm  the norm before the token mixer, under {@code model.layers.L.}
     * @param postNorm   the norm before the feed-forward block, under {@code model.layers.L.}
     * @param finalNorm  the norm before lm_head (full name)
     * @param outProj    the attention output projection under {@code self_attn.}
     * @param qNorm      the per-head / full q norm under {@code self_attn.}
     * @param kNorm      the k norm under {@code self_attn.}
     * @param denseGate  the dense MLP's gate projection under {@link #denseMlp}, likewise up and down
     */
    public record Names(
            String inputNorm,
            String postNorm,
            String finalNorm,
            String outProj,
            String qNorm,
            String kNorm,
            String denseGate,
            String denseUp,
            String denseDown) {

        /** input_layernorm, post_attention_layernorm, model.norm, o_proj, q_norm/k_norm, gate/up/down_proj. */
        public static final Names STANDARD = new Names(
                "input_layernorm.weight",
                "post_attention_layernorm.weight",
                "model.norm.weight",
                "o_proj",
                "q_norm",
                "k_norm",
                "gate_proj",
                "up_proj",
                "down_proj");
    }

    /**
     * HALF: dimension j pairs with j + d/2 (transformers' rotate_half); INTERLEAVED: 2i pairs with 2i+1 (ERNIE 4.5's
     * rotate_half, which takes x[..., 0::2] and x[..., 1::2]). MLA attention has its own rule.
     */
    public enum RopeLayout {
        HALF,
        INTERLEAVED
    }

    /**
     * Attention kinds: grouped-query attention with q/k/v/o_proj, DeepSeek's multi-head latent attention, or the
     * Qwen3-Next hybrid: Gated DeltaNet ({@code linear_attn.}) or output-gated full attention ({@code self_attn.})
     * per layer, as {@link io.moescope.model.config.HybridAttention} says; LFM2's: a gated short convolution
     * ({@code conv.}) or standard attention ({@code self_attn.}) per layer, as
     * {@link io.moescope.model.config.ShortConvLayers} says; or Gemma 4's decoder layer (per-layer-type attention
     * shapes, q/k/v norms, norms after attention and around the parallel dense MLP and experts), which its own loader
     * builds.
     */
    public enum Attention {
        STANDARD,
        MLA,
        HYBRID,
        SHORT_CONV,
        GEMMA4
    }

    /**
     * SwiGLU: down(SiLU(gate) ⊙ up). CLAMPED_SWIGLU (gpt_oss): gate ≤ limit, |up| ≤ limit,
     * down((up + 1) ⊙ gate·σ(α·gate)) + b, with α = 1.702, limit = 7 and biases on every expert projection.
     * GELU_TANH (Gemma 4): down(GELU_tanh(gate) ⊙ up).
     */
    public enum Activation {
        SWIGLU,
        CLAMPED_SWIGLU,
        GELU_TANH
    }

    /**
     * Shared expert(s).
     *
     * @param prefix  {@code shared_expert.} (Qwen2) or {@code shared_experts.} (DeepSeek), under the MoE prefix;
     *                with {@code atLayer}, under the layer ({@code shared_mlp.}, Granite)
     * @param gate    sigmoid gate weight [1, H] (Qwen2 {@code shared_expert_gate.weight}), null if added unweighted
     * @param gateUp  one fused [2S, H] projection, gate rows then up rows (Granite {@code input_linear.weight});
     *                null for separate {@code gate_proj}/{@code up_proj}
     * @param down    the down projection's tensor name ({@code down_proj.weight}, Granite
     *                {@code output_linear.weight})
     * @param atLayer the prefix is relative to {@code model.layers.L.} rather than to the MoE prefix
     */
    public record SharedExpert(String prefix, String gate, String gateUp, String down, boolean atLayer) {

        /** gate_proj/up_proj/down_proj under the MoE prefix. */
        public SharedExpert(String prefix, String gate) {
            this(prefix, gate, null, "down_proj.weight", false);
        }
    }
}
