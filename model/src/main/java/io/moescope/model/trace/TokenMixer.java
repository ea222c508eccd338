package io.moescope.model.trace;

/**
 * What mixes information across positions in one decoder layer, as a trace header's {@code token_mixers} names it.
 * Every layer of most models is {@link #ATTENTION}; the hybrids replace some layers with a recurrent mixer.
 */
public enum TokenMixer {

    /** Softmax attention over the KV cache (full or sliding-window). */
    ATTENTION("attention", "attn"),
    /** Linear attention with a recurrent state (Qwen3-Next / Qwen3.5 Gated DeltaNet). */
    LINEAR_ATTENTION("linear_attention", "lin"),
    /** A gated causal short convolution whose state is the last kernel − 1 inputs (LFM2). */
    SHORT_CONV("short_conv", "conv");

    private final String label;
    private final String shortName;

    TokenMixer(String label, String shortName) {
        this.label = label;
        this.shortName = shortName;
    }

    /** A few letters for tight column labels: "attn", "lin", "conv". */
    public String shortName() {
        return shortName;
    }

    /** How views name it beside a layer: "attention", "linear attention", "short conv". */
    public String displayName() {
        return label.replace('_', ' ');
    }

    /** The header spelling. */
    public String label() {
        return label;
    }

    /** The mixer a header spelling names, or null if unknown. */
    public static TokenMixer ofLabel(String label) {
        for (TokenMixer m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        return null;
    }
}
