package io.moescope.model.diagnosis;

/**
 * Every balance loss the diagnosis reports: its report key, formula and convention (what uniform routing
 * gives), as in moe-architectures.md §1.6. Notation: T tokens of one layer, E routed experts, k chosen per token,
 * c_i assignments of expert i, P_i = (1/T) Σ_t s_{t,i} (s = softmax or sigmoid scores), all with α = 1.
 */
public enum LossDefinition {
    SWITCH_AUX(
            "switch_aux",
            "Switch Transformer auxiliary loss (Fedus et al. 2101.03961)",
            "E · Σ_i f_i · P_i,  f_i = (tokens whose top-1 is i) / T",
            "uniform routing = 1; everything on one expert = E. Paper coefficient α = 0.01."),
    GSHARD_AUX(
            "gshard_aux",
            "GShard auxiliary loss (Lepikhin et al. 2006.16668)",
            "(1/E) · Σ_e (c_e^top1 / T) · m_e,  m_e = mean gate value = P_e",
            "uniform routing = 1/E²; same idea as Switch with a different constant."),
    TRANSFORMERS_AUX(
            "transformers_aux",
            "transformers load_balancing_loss_func (Mixtral, Qwen-MoE, OLMoE)",
            "E · Σ_i (c_i / T) · P_i,  counts over all k slots so Σ_i c_i/T = k",
            "uniform routing = k (not 1); computed per layer here (transformers pools all layers)."
                    + " Coefficient router_aux_loss_coef: 0.02 Mixtral, 0.001 Qwen, 0.01 OLMoE."),
    DEEPSEEK_EXPERT(
            "deepseek_expert",
            "DeepSeekMoE expert-level balance loss (Dai et al. 2401.06066)",
            "Σ_i f_i · P_i,  f_i = E / (k·T) · c_i",
            "uniform routing = 1; full collapse onto k experts = E/k. Reported with α₁ = 1; "
                    + "deepseek_expert_alpha multiplies by the config's aux_loss_alpha."),
    DEEPSEEK_DEVICE(
            "deepseek_device",
            "DeepSeekMoE / DeepSeek-V2 device-level balance loss",
            "Σ_d f′_d · P′_d,  f′_d = mean_{j∈E_d} f_j,  P′_d = Σ_{j∈E_d} P_j  (experts split contiguously over D)",
            "uniform routing = 1. Paper coefficient α₂ = 0.05."),
    DEEPSEEK_V2_COMM(
            "deepseek_v2_comm",
            "DeepSeek-V2 communication balance loss (2405.04434 §2.2.3)",
            "Σ_d f″_d · P″_d,  f″_d = D / (M·T) · (tokens sent to device d),  P″_d = Σ_{j∈E_d} P_j",
            "uniform over exactly M devices per token = 1; a token counts once per device it reaches. α₃ = 0.02."),
    DEEPSEEK_V3_SEQ(
            "deepseek_v3_seq",
            "DeepSeek-V3 complementary sequence-wise loss (2412.19437 §2.1.2)",
            "per sequence: Σ_i f_i · P′_i,  f_i = E/(k·T) · c_i,  P′_i = (1/T) Σ_t s_{t,i} / Σ_j s_{t,j}; "
                    + "mean over sequences (= chunks)",
            "uniform routing = 1. Counts come from the selection actually made (biased top-k). α = 1e-4."),
    Z_LOSS(
            "z_loss",
            "Router z-loss (Zoph et al., ST-MoE 2202.08906)",
            "(1/T) Σ_t (log Σ_i exp z_{t,i})²,  z = router logits",
            "0 only when every logsumexp is 0; grows with large logits. Coefficient 1e-3.");

    private final String key;
    private final String title;
    private final String formula;
    private final String convention;

    LossDefinition(String key, String title, String formula, String convention) {
        this.key = key;
        this.title = title;
        this.formula = formula;
        this.convention = convention;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public String formula() {
        return formula;
    }

    public String convention() {
        return convention;
    }
}
