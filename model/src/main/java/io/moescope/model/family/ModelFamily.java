package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import io.moescope.model.trace.AlwaysOnPart;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that makes one MoE family (config.json {@code model_type}) different from the others, in one place:
 * its config keys, its tensor names and layer parts, its routing rule and its GGUF form. The loader, the parser and
 * the router read these descriptions; they hold no per-family branches. A new family is one implementation
 * registered in {@link Families}, plus fixtures.
 */
public interface ModelFamily {

    /** config.json {@code model_type}. */
    String modelType();

    /**
     * Reads the family-specific keys.
     *
     * @param topK   num_experts_per_tok (already read and checked positive)
     * @param layers num_hidden_layers
     */
    FamilySettings settings(ConfigKeys keys, int topK, int layers) throws ModelLoadException;

    /** Tensor names and the kinds of parts a decoder layer is built from. */
    Parts parts();

    /** How router logits become chosen experts and gate weights for a checkpoint of this family. */
    RoutingRule routing(ModelConfig c);

    /** The family's GGUF (llama.cpp) names, for a GGUF loader; declarative only. */
    GgufForm gguf();

    /**
     * The part of decoder layer {@code layer}'s FFN that runs on every token: a dense FFN outside the MoE layers
     * (DeepSeek's first_k_dense layers, Qwen's mlp_only_layers), else the family's shared expert(s) as
     * {@link #parts()} and the config describe them (gated where the family has a shared-expert gate), or none.
     */
    default AlwaysOnPart alwaysOn(ModelConfig c, int layer) {
        if (!c.isMoeLayer(layer)) {
            return AlwaysOnPart.DENSE_FFN;
        }
        Parts.SharedExpert shared = parts().shared();
        if (shared == null || c.sharedExperts() <= 0) {
            return AlwaysOnPart.NONE;
        }
        return shared.gate() != null ? AlwaysOnPart.GATED_SHARED_EXPERT : AlwaysOnPart.sharedExperts(c.sharedExperts());
    }

    /** {@link #alwaysOn(ModelConfig, int)} for every decoder layer, in order (a trace header's {@code always_on}). */
    default List<AlwaysOnPart> alwaysOn(ModelConfig c) {
        List<AlwaysOnPart> out = new ArrayList<>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            out.add(alwaysOn(c, l));
        }
        return out;
    }

    /** The spellings of the experts-per-token key, preferred first (ERNIE 4.5 writes {@code moe_k}). */
    default String[] topKKeys() {
        return new String[] {"num_experts_per_tok"};
    }

    /** topk_method when config.json has none ("greedy"; GLM-4.5, which has no such key, always routes noaux_tc). */
    default String defaultTopkMethod() {
        return "greedy";
    }

    /** True for the latent-attention families (DeepSeek-V2/V3). */
    default boolean usesMla() {
        return parts().attention() == Parts.Attention.MLA;
    }

    /**
     * The model_type of a multimodal wrapper config whose {@code text_config} is this family (Gemma 4: "gemma4"
     * around "gemma4_text"), null if the family is only read at the top level.
     */
    default String wrapperType() {
        return null;
    }

    /**
     * True if released checkpoints of this family carry the layout's selection bias (so a synthetic checkpoint
     * writes one); false where the loader only reads it when present (MoE Scope's own aux-free DeepSeekMoE models).
     */
    default boolean shipsSelectionBias() {
        return true;
    }
}
