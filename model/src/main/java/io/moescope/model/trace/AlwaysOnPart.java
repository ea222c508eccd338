package io.moescope.model.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The part of one decoder layer's feed-forward that runs on every token whatever the router chooses, as a trace
 * header's {@code always_on} lists it (docs/trace-format.md, version 3).
 *
 * @param kind  what kind of part it is
 * @param count how many experts it is made of (shared experts ×N; 1 for the other kinds, 0 for {@link Kind#NONE})
 * @param name  what the views and reports call it ("shared experts ×2", "gated shared expert", "dense FFN")
 */
public record AlwaysOnPart(Kind kind, int count, String name) {

    /** The kinds of always-on part, with their wire names. */
    public enum Kind {
        /** Routed experts only: nothing runs on every token. */
        NONE("none"),
        /** Shared experts added unweighted to the routed output (DeepSeekMoE, GLM-4.5, ERNIE 4.5, Granite). */
        SHARED_EXPERTS("shared_experts"),
        /** One shared expert behind a sigmoid gate σ(w·x) (Qwen2-MoE, Qwen3-Next, Qwen3.5). */
        GATED_SHARED_EXPERT("gated_shared_expert"),
        /** A dense MLP beside the routed experts in an MoE layer (Gemma 4). */
        PARALLEL_DENSE_MLP("parallel_dense_mlp"),
        /** A dense layer: the whole FFN is always on and nothing is routed (DeepSeek's first_k_dense layers). */
        DENSE_FFN("dense_ffn");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }

        /** The kind with this wire name; IllegalArgumentException for any other. */
        public static Kind fromWire(String s) {
            for (Kind k : values()) {
                if (k.wire.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown always-on kind '" + s + "'");
        }
    }

    public static final AlwaysOnPart NONE = new AlwaysOnPart(Kind.NONE, 0, "none");
    public static final AlwaysOnPart DENSE_FFN = new AlwaysOnPart(Kind.DENSE_FFN, 1, "dense FFN");
    public static final AlwaysOnPart GATED_SHARED_EXPERT =
            new AlwaysOnPart(Kind.GATED_SHARED_EXPERT, 1, "gated shared expert");
    public static final AlwaysOnPart PARALLEL_DENSE_MLP =
            new AlwaysOnPart(Kind.PARALLEL_DENSE_MLP, 1, "parallel dense MLP");

    /** Model types whose shared expert was gated in traces written before version 3 (their headers only count it). */
    private static final Set<String> GATED_BEFORE_V3 = Set.of("qwen2_moe", "qwen3_next", "qwen3_5_moe_text");

    public AlwaysOnPart {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an always-on part needs a display name");
        }
        if (kind == Kind.NONE ? count != 0 : count <= 0) {
            throw new IllegalArgumentException(kind.wireName() + " cannot be made of " + count + " experts");
        }
    }

    /** n ≥ 1 unweighted shared experts: "shared expert" or "shared experts ×n". */
    public static AlwaysOnPart sharedExperts(int n) {
        return new AlwaysOnPart(Kind.SHARED_EXPERTS, n, n == 1 ? "shared expert" : "shared experts ×" + n);
    }

    /** The same part under another display name (Granite's "shared MLP"). */
    public AlwaysOnPart named(String displayName) {
        return new AlwaysOnPart(kind, count, displayName);
    }

    /** False only for {@link Kind#NONE}. */
    public boolean present() {
        return kind != Kind.NONE;
    }

    /** True for a dense layer, whose whole FFN is always on (it has no routing). */
    public boolean isDenseLayer() {
        return kind == Kind.DENSE_FFN;
    }

    /**
     * What a header without {@code always_on} (versions 1 and 2, or a shape built without the list) means: a layer
     * outside {@code moeLayers} is a dense FFN; an MoE layer has {@code sharedExperts} shared experts (gated for the
     * Qwen model types that had a gated one), or none.
     */
    public static List<AlwaysOnPart> fromLegacy(String modelType, int layerCount, int[] moeLayers, int sharedExperts) {
        List<AlwaysOnPart> out = new ArrayList<>(layerCount);
        boolean[] moe = new boolean[Math.max(0, layerCount)];
        for (int l : moeLayers) {
            if (l >= 0 && l < moe.length) {
                moe[l] = true;
            }
        }
        AlwaysOnPart inMoe = sharedExperts <= 0
                ? NONE
                : GATED_BEFORE_V3.contains(modelType) && sharedExperts == 1
                        ? GATED_SHARED_EXPERT
                        : sharedExperts(sharedExperts);
        for (int l = 0; l < layerCount; l++) {
            out.add(moe[l] ? inMoe : DENSE_FFN);
        }
        return out;
    }
}
