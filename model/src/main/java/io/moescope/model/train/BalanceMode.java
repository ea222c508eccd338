package io.moescope.model.train;

/** Load-balancing strategy for routed experts. */
public enum BalanceMode {
    /** No balancing: the router is free to collapse. */
    NONE,
    /** DeepSeekMoE expert-level (α1) and device-level (α2) auxiliary losses. */
    AUX,
    /** DeepSeek-V3 auxiliary-loss-free bias: b_i += γ·sign(mean load − load_i), used for top-k selection only. */
    AUX_FREE;

    /** Parses {@code none|aux|aux-free}. */
    public static BalanceMode parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "none":
                return NONE;
            case "aux":
                return AUX;
            case "aux-free":
            case "auxfree":
                return AUX_FREE;
            default:
                throw new IllegalArgumentException("balance must be none|aux|aux-free, got " + s);
        }
    }

    public String label() {
        return this == AUX_FREE ? "aux-free" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
