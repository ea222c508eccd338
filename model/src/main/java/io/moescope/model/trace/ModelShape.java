package io.moescope.model.trace;

import java.util.Arrays;
import java.util.List;

/**
 * The MoE-relevant shape of a model, as a trace header reports it.
 *
 * @param modelType      the config.json {@code model_type}
 * @param layerCount     decoder layers
 * @param moeLayers      indices of the MoE layers, ascending
 * @param routedExperts  routed experts per MoE layer (E)
 * @param sharedExperts  shared experts per MoE layer (DeepSeek's n_shared_experts; 1 for Qwen2-MoE; 0 if none)
 * @param topK           experts chosen per token (k)
 * @param vocabSize      rows of the output projection
 * @param expertGroups   routing groups of group-limited routing (config.json {@code n_group} when
 *                       {@code topk_method} is {@code group_limited_greedy} or {@code noaux_tc}); 1 when routing is
 *                       not group-limited. Groups are contiguous blocks of E / expertGroups experts.
 * @param tokenMixers    the token mixer of every decoder layer [layerCount]: attention, linear attention
 *                       (Qwen3-Next's Gated DeltaNet) or a short convolution (LFM2)
 * @param alwaysOn       per decoder layer, the part of its FFN that runs on every token (trace header
 *                       {@code always_on}, version 3): {@link AlwaysOnPart.Kind#DENSE_FFN} exactly on the layers that
 *                       are not MoE layers
 */
public record ModelShape(
        String modelType,
        int layerCount,
        int[] moeLayers,
        int routedExperts,
        int sharedExperts,
        int topK,
        int vocabSize,
        int expertGroups,
        TokenMixer[] tokenMixers,
        List<AlwaysOnPart> alwaysOn) {

    public ModelShape {
        if (layerCount <= 0 || routedExperts <= 0 || topK <= 0 || topK > routedExperts || vocabSize <= 0) {
            throw new IllegalArgumentException("inconsistent MoE shape: " + layerCount + " layers, " + routedExperts
                    + " experts, top-" + topK + ", vocab " + vocabSize);
        }
        if (expertGroups <= 0 || routedExperts % expertGroups != 0) {
            throw new IllegalArgumentException("inconsistent MoE shape: " + routedExperts + " experts cannot form "
                    + expertGroups + " equal expert groups");
        }
        moeLayers = moeLayers.clone();
        for (int layer : moeLayers) {
            if (layer < 0 || layer >= layerCount) {
                throw new IllegalArgumentException("MoE layer " + layer + " outside 0.." + (layerCount - 1));
            }
        }
        tokenMixers = tokenMixers.clone();
        if (tokenMixers.length != layerCount) {
            throw new IllegalArgumentException(tokenMixers.length + " token mixers for " + layerCount + " layers");
        }
        for (TokenMixer m : tokenMixers) {
            if (m == null) {
                throw new IllegalArgumentException("a layer without a token mixer");
            }
        }
        alwaysOn = List.copyOf(alwaysOn);
        if (alwaysOn.size() != layerCount) {
            throw new IllegalArgumentException(alwaysOn.size() + " always-on parts for " + layerCount + " layers");
        }
        for (int l = 0; l < layerCount; l++) {
            boolean dense = alwaysOn.get(l).isDenseLayer();
            if (dense == (Arrays.binarySearch(moeLayers, l) >= 0)) {
                throw new IllegalArgumentException("layer " + l
                        + (dense
                                ? " is an MoE layer but its always-on part is " + "a dense FFN"
                                : " is a dense layer but its always-on part is "
                                        + alwaysOn.get(l).name()));
            }
        }
    }

    /** A shape whose always-on parts follow from the shared-expert count ({@link AlwaysOnPart#fromLegacy}). */
    public ModelShape(
            String modelType,
            int layerCount,
            int[] moeLayers,
            int routedExperts,
            int sharedExperts,
            int topK,
            int vocabSize,
            int expertGroups,
            TokenMixer[] tokenMixers) {
        this(
                modelType,
                layerCount,
                moeLayers,
                routedExperts,
                sharedExperts,
                topK,
                vocabSize,
                expertGroups,
                tokenMixers,
                AlwaysOnPart.fromLegacy(modelType, layerCount, moeLayers, sharedExperts));
    }

    /** A shape with the given linear-attention layers (ascending; the others attention) and always-on parts. */
    public ModelShape(
            String modelType,
            int layerCount,
            int[] moeLayers,
            int routedExperts,
            int sharedExperts,
            int topK,
            int vocabSize,
            int expertGroups,
            int[] linearAttentionLayers,
            List<AlwaysOnPart> alwaysOn) {
        this(
                modelType,
                layerCount,
                moeLayers,
                routedExperts,
                sharedExperts,
                topK,
                vocabSize,
                expertGroups,
                linearMixers(layerCount, linearAttentionLayers),
                alwaysOn);
    }

    /** A shape whose layers are attention except the given linear-attention layers (ascending). */
    public ModelShape(
            String modelType,
            int layerCount,
            int[] moeLayers,
            int routedExperts,
            int sharedExperts,
            int topK,
            int vocabSize,
            int expertGroups,
            int[] linearAttentionLayers) {
        this(
                modelType,
                layerCount,
                moeLayers,
                routedExperts,
                sharedExperts,
                topK,
                vocabSize,
                expertGroups,
                linearMixers(layerCount, linearAttentionLayers));
    }

    /** Attention on every layer but the given linear-attention ones. */
    static TokenMixer[] linearMixers(int layerCount, int[] linearLayers) {
        TokenMixer[] out = new TokenMixer[Math.max(layerCount, 0)];
        Arrays.fill(out, TokenMixer.ATTENTION);
        for (int layer : linearLayers) {
            if (layer < 0 || layer >= layerCount) {
                throw new IllegalArgumentException(
                        "linear-attention layer " + layer + " outside 0.." + (layerCount - 1));
            }
            out[layer] = TokenMixer.LINEAR_ATTENTION;
        }
        return out;
    }

    /** A shape whose layers are all full attention. */
    public ModelShape(
            String modelType,
            int layerCount,
            int[] moeLayers,
            int routedExperts,
            int sharedExperts,
            int topK,
            int vocabSize,
            int expertGroups) {
        this(modelType, layerCount, moeLayers, routedExperts, sharedExperts, topK, vocabSize, expertGroups, new int[0]);
    }

    /** A shape without group-limited routing (one expert group). */
    public ModelShape(
            String modelType,
            int layerCount,
            int[] moeLayers,
            int routedExperts,
            int sharedExperts,
            int topK,
            int vocabSize) {
        this(modelType, layerCount, moeLayers, routedExperts, sharedExperts, topK, vocabSize, 1);
    }

    @Override
    public int[] moeLayers() {
        return moeLayers.clone();
    }

    @Override
    public TokenMixer[] tokenMixers() {
        return tokenMixers.clone();
    }

    /** The token mixer of the given decoder layer. */
    public TokenMixer tokenMixer(int layer) {
        return tokenMixers[layer];
    }

    /** "Layer 3", or in a hybrid model "Layer 3 · short conv": the layer with its token mixer, for layer pickers. */
    public String layerLabel(int layer) {
        return "Layer " + layer + mixerTag(layer, false);
    }

    /**
     * What follows a layer's number in a label of a hybrid model, naming its token mixer: " · short conv" (or
     * " conv" when {@code compact}, for column labels); "" in a model whose every layer attends.
     */
    public String mixerTag(int layer, boolean compact) {
        if (!isHybrid()) {
            return "";
        }
        return compact ? " " + tokenMixers[layer].shortName() : " · " + tokenMixers[layer].displayName();
    }

    /** True if some layer's token mixer is not attention (a hybrid model). */
    public boolean isHybrid() {
        return Arrays.stream(tokenMixers).anyMatch(m -> m != TokenMixer.ATTENTION);
    }

    /** Decoder layers whose token mixer is {@code kind}, ascending. */
    public int[] layersOf(TokenMixer kind) {
        return java.util.stream.IntStream.range(0, layerCount)
                .filter(l -> tokenMixers[l] == kind)
                .toArray();
    }

    /** Decoder layers whose token mixer is linear attention, ascending ([] for most models). */
    public int[] linearAttentionLayers() {
        return layersOf(TokenMixer.LINEAR_ATTENTION);
    }

    /** True if the given decoder layer's token mixer is linear attention. */
    public boolean isLinearAttention(int layer) {
        return tokenMixers[layer] == TokenMixer.LINEAR_ATTENTION;
    }

    /** The always-on part of a decoder layer. */
    public AlwaysOnPart alwaysOn(int layer) {
        return alwaysOn.get(layer);
    }

    /** True if some MoE layer has an always-on part beside its routed experts (dense layers not counted). */
    public boolean hasAlwaysOnInMoeLayers() {
        for (int l : moeLayers) {
            if (alwaysOn.get(l).present()) {
                return true;
            }
        }
        return false;
    }

    /** The display names of the always-on parts the layers have, in layer order, each once ("none" left out). */
    public List<String> alwaysOnNames() {
        return alwaysOn.stream()
                .filter(AlwaysOnPart::present)
                .map(AlwaysOnPart::name)
                .distinct()
                .toList();
    }

    /**
     * What is always on where, in words for legends and reports: "shared experts ×2: L1–L3 · dense FFN: L0";
     * "nothing (routed experts only)" for a model without always-on parts.
     */
    public String describeAlwaysOn() {
        java.util.Map<String, List<Integer>> where = new java.util.LinkedHashMap<>();
        for (int l = 0; l < layerCount; l++) {
            if (alwaysOn.get(l).present()) {
                where.computeIfAbsent(alwaysOn.get(l).name(), k -> new java.util.ArrayList<>())
                        .add(l);
            }
        }
        if (where.isEmpty()) {
            return "nothing (routed experts only)";
        }
        List<String> parts = new java.util.ArrayList<>();
        where.forEach((name, layers) -> parts.add(name + ": " + ranges(layers)));
        return String.join(" · ", parts);
    }

    /** Ascending layers as "L0, L2–L4". */
    private static String ranges(List<Integer> layers) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); ) {
            int j = i;
            while (j + 1 < layers.size() && layers.get(j + 1) == layers.get(j) + 1) {
                j++;
            }
            out.add(j == i ? "L" + layers.get(i) : "L" + layers.get(i) + "–L" + layers.get(j));
            i = j + 1;
        }
        return String.join(", ", out);
    }

    /** True if the given decoder layer is an MoE layer. */
    public boolean isMoeLayer(int layer) {
        return Arrays.binarySearch(moeLayers, layer) >= 0;
    }

    /** Position of a decoder layer among the MoE layers, or -1. */
    public int moeIndex(int layer) {
        int i = Arrays.binarySearch(moeLayers, layer);
        return i >= 0 ? i : -1;
    }

    public int moeLayerCount() {
        return moeLayers.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelShape s
                && modelType.equals(s.modelType)
                && layerCount == s.layerCount
                && Arrays.equals(moeLayers, s.moeLayers)
                && routedExperts == s.routedExperts
                && sharedExperts == s.sharedExperts
                && topK == s.topK
                && vocabSize == s.vocabSize
                && expertGroups == s.expertGroups
                && Arrays.equals(tokenMixers, s.tokenMixers)
                && alwaysOn.equals(s.alwaysOn);
    }

    @Override
    public int hashCode() {
        return modelType.hashCode() * 31 + Arrays.hashCode(moeLayers) * 17 + routedExperts * 7 + topK;
    }

    @Override
    public String toString() {
        return modelType + "[" + layerCount + " layers, MoE " + Arrays.toString(moeLayers) + ", E="
                + routedExperts + ", k=" + topK + ", always on: " + describeAlwaysOn() + ", V=" + vocabSize
                + (expertGroups > 1 ? ", groups=" + expertGroups : "")
                + (linearAttentionLayers().length > 0 ? ", linear " + Arrays.toString(linearAttentionLayers()) : "")
                + (layersOf(TokenMixer.SHORT_CONV).length > 0
                        ? ", conv " + Arrays.toString(layersOf(TokenMixer.SHORT_CONV))
                        : "")
                + "]";
    }
}
