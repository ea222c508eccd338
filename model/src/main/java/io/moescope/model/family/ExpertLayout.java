package io.moescope.model.family;

import java.util.List;

/**
 * One on-disk form of a layer's router and routed experts (names relative to {@code model.layers.L.}).
 *
 * <ul>
 *   <li>PER_EXPERT: {@code prefix experts.E.{gate,up,down}.weight}, one [I,H]/[I,H]/[H,I] matrix each;</li>
 *   <li>FUSED (transformers v5): {@code experts.gate_up_proj [E, 2I, H]} (gate rows, then up rows),
 *       {@code experts.down_proj [E, H, I]}; other names where {@code gate}/{@code down} give them (Granite
 *       {@code input_linear.weight}, {@code output_linear.weight});</li>
 *   <li>FUSED_TRANSPOSED (gpt_oss): {@code experts.gate_up_proj [E, H, 2I]} with gate and up interleaved along the
 *       last dimension (even = gate, odd = up), {@code experts.down_proj [E, I, H]}, and {@code _bias} of each;</li>
 *   <li>MXFP4 (gpt_oss as released): {@code experts.gate_up_proj_blocks [E, 2I, H/32, 16]} uint8 + {@code _scales
 *       [E, 2I, H/32]} E8M0, rows interleaved as above; {@code down_proj_blocks [E, H, I/32, 16]} + scales.</li>
 *   <li>SPLIT_BIASED (gpt_oss as llama.cpp stores it, named through its {@code GgufForm}): per-expert
 *       {@code experts.E.{gate,up,down}.weight} as PER_EXPERT plus {@code experts.{gate,up,down}_proj_bias} [E, I] /
 *       [E, I] / [E, H].</li>
 * </ul>
 *
 * @param kind        the layout
 * @param prefix      MoE prefix, e.g. {@code mlp.} or Mixtral's {@code block_sparse_moe.}
 * @param router      router weight [E, H] under the prefix, e.g. {@code gate.weight}
 * @param routerBias  bias added to the router logits (gpt_oss {@code router.bias}), null if none
 * @param selectionBias bias added to the scores for selection only (DeepSeek-V3
 *                    {@code gate.e_score_correction_bias}), read when present; null if the family has none
 * @param gate        PER_EXPERT: gate projection name ({@code gate_proj}, Mixtral {@code w1}); FUSED: the fused
 *                    gate_up tensor under the prefix, null for {@code experts.gate_up_proj}; else null
 * @param up          PER_EXPERT: up projection name ({@code up_proj}, Mixtral {@code w3}); else null
 * @param down        PER_EXPERT: down projection name ({@code down_proj}, Mixtral {@code w2}); FUSED: the down
 *                    tensor under the prefix, null for {@code experts.down_proj}; else null
 */
public record ExpertLayout(
        Kind kind,
        String prefix,
        String router,
        String routerBias,
        String selectionBias,
        String gate,
        String up,
        String down) {

    /** The on-disk forms. */
    public enum Kind {
        PER_EXPERT,
        FUSED,
        FUSED_TRANSPOSED,
        MXFP4,
        SPLIT_BIASED
    }

    public static ExpertLayout perExpert(String prefix, String gate, String up, String down) {
        return new ExpertLayout(Kind.PER_EXPERT, prefix, "gate.weight", null, null, gate, up, down);
    }

    public static ExpertLayout fused(String prefix) {
        return new ExpertLayout(Kind.FUSED, prefix, "gate.weight", null, null, null, null, null);
    }

    /**
     * The Hugging Face experts under {@code mlp.}, in either form a checkpoint may have: transformers v5's fused
     * tensors, or one {@code gate_proj}/{@code up_proj}/{@code down_proj} per expert (DeepSeek, OLMoE, Qwen, Mixtral's
     * newer exports).
     */
    public static List<ExpertLayout> mlp() {
        return List.of(fused("mlp."), perExpert("mlp.", "gate_proj", "up_proj", "down_proj"));
    }

    /** FUSED with its own tensor names under {@code prefix} (Granite: router.layer.weight, input/output_linear). */
    public static ExpertLayout fusedNamed(String prefix, String router, String gateUp, String down) {
        return new ExpertLayout(Kind.FUSED, prefix, router, null, null, gateUp, null, down);
    }

    /** FUSED: the gate_up tensor's name under the prefix. */
    public String fusedGateUp() {
        return gate != null ? gate : "experts.gate_up_proj";
    }

    /** FUSED: the down tensor's name under the prefix. */
    public String fusedDown() {
        return down != null ? down : "experts.down_proj";
    }

    /** The same layout with a selection bias name (DeepSeek-V3). */
    public ExpertLayout withSelectionBias(String name) {
        return new ExpertLayout(kind, prefix, router, routerBias, name, gate, up, down);
    }

    /** A tensor (relative to the layer) whose presence says a checkpoint uses this layout. */
    public String probe() {
        switch (kind) {
            case PER_EXPERT:
            case SPLIT_BIASED:
                return prefix + "experts.0." + gate + ".weight";
            case MXFP4:
                return prefix + "experts.gate_up_proj_blocks";
            case FUSED:
                return prefix + fusedGateUp();
            default:
                return prefix + "experts.gate_up_proj";
        }
    }
}
