package io.moescope.model.config;

import io.moescope.model.family.ModelFamily;
import io.moescope.model.io.WeightBlockSize;
import io.moescope.model.trace.TokenMixer;
import java.util.Arrays;

/**
 * Typed hyper-parameters of one checkpoint, normalised across the families (see ConfigParser for the keys).
 *
 * @param headDim             attention head width (explicit head_dim, else hidden / heads)
 * @param intermediateSize    dense MLP width
 * @param expertWidth         routed expert width (moe_intermediate_size, or intermediate_size for Mixtral/OLMoE)
 * @param sharedWidth         width of the fused shared-expert MLP, 0 if none
 * @param sharedExperts       number of shared experts as the model card counts them (DeepSeek n_shared_experts, Qwen 1)
 * @param qkNorm              NONE, PER_HEAD (Qwen3) or FULL (OLMoE)
 * @param clipQkv             clamp for q,k,v (OLMoE), NaN if none
 * @param slidingWindow       attention window of the sliding layers, 0 if none
 * @param moeLayers           decoder layers that are MoE, ascending
 * @param eosTokenIds         ids that end generation
 * @param fp8Block            block sharing one scale in F8_E4M3 weights (quantization_config.weight_block_size;
 *                            128×128 when absent)
 * @param outputBias          the attention output projection has a bias (gpt_oss attention_bias)
 * @param layerWindows        attention window per decoder layer, 0 = full attention [numLayers]
 * @param hybrid              Gated DeltaNet / full attention split (Qwen3-Next, Qwen3.5-MoE), null if none
 * @param extras              multipliers, partial RoPE and MLP biases ({@link FamilyExtras#NONE} for most families)
 */
public record ModelConfig(
        ModelFamily family,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int expertWidth,
        int sharedWidth,
        int sharedExperts,
        int routedExperts,
        int topK,
        boolean normTopkProb,
        double routedScalingFactor,
        String scoringFunc,
        String topkMethod,
        int nGroup,
        int topkGroup,
        boolean qkvBias,
        QkNorm qkNorm,
        double clipQkv,
        int slidingWindow,
        RopeConfig rope,
        double rmsNormEps,
        int maxPositions,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int[] eosTokenIds,
        int[] moeLayers,
        Mla mla,
        WeightBlockSize fp8Block,
        boolean outputBias,
        int[] layerWindows,
        HybridAttention hybrid,
        FamilyExtras extras) {

    /** How q and k are normalised before RoPE. */
    public enum QkNorm {
        NONE,
        PER_HEAD,
        FULL
    }

    /** Multi-head latent attention dimensions (DeepSeek-V2/V3), null for other families. */
    public record Mla(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim) {}

    public ModelConfig {
        eosTokenIds = eosTokenIds.clone();
        moeLayers = moeLayers.clone();
        layerWindows = layerWindows.clone();
    }

    @Override
    public int[] layerWindows() {
        return layerWindows.clone();
    }

    /** True if decoder layer {@code layer} is a Gated DeltaNet (linear attention) layer. */
    public boolean isLinearAttention(int layer) {
        return hybrid != null && hybrid.isLinear(layer);
    }

    /** The token mixer of decoder layer {@code layer}. */
    public TokenMixer tokenMixer(int layer) {
        if (isLinearAttention(layer)) {
            return TokenMixer.LINEAR_ATTENTION;
        }
        return extras.shortConv() != null && extras.shortConv().isConv(layer)
                ? TokenMixer.SHORT_CONV
                : TokenMixer.ATTENTION;
    }

    /** The token mixer of every decoder layer [numLayers]. */
    public TokenMixer[] tokenMixers() {
        TokenMixer[] out = new TokenMixer[numLayers];
        for (int l = 0; l < numLayers; l++) {
            out[l] = tokenMixer(l);
        }
        return out;
    }

    /** Decoder layers that are linear attention, ascending ([] if the model has none). */
    public int[] linearAttentionLayers() {
        return hybrid == null ? new int[0] : hybrid.linearLayers();
    }

    /** The attention window of decoder layer {@code layer}, 0 for full attention. */
    public int windowOf(int layer) {
        return layerWindows[layer];
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    @Override
    public int[] moeLayers() {
        return moeLayers.clone();
    }

    public boolean isMoeLayer(int layer) {
        return Arrays.binarySearch(moeLayers, layer) >= 0;
    }

    public boolean isEos(int id) {
        for (int e : eosTokenIds) {
            if (e == id) {
                return true;
            }
        }
        return false;
    }

    public boolean hasSharedExperts() {
        return sharedWidth > 0;
    }

    /**
     * Routing groups of group-limited routing: {@code n_group} when {@code topk_method} is group_limited_greedy or
     * noaux_tc (DeepSeek-V2/V3), else 1 (greedy top-k ignores n_group).
     */
    public int routingGroups() {
        return "greedy".equals(topkMethod) ? 1 : Math.max(1, nGroup);
    }

    /** Softmax scoring (all families except DeepSeek-V3's sigmoid). */
    public boolean softmaxScoring() {
        return !"sigmoid".equals(scoringFunc);
    }
}
