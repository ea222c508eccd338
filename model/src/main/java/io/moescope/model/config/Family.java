package io.moescope.model.config;

/** The MoE model families the engine knows, by config.json {@code model_type}. */
public enum Family {
    DEEPSEEK("deepseek"),
    DEEPSEEK_V2("deepseek_v2"),
    DEEPSEEK_V3("deepseek_v3"),
    MIXTRAL("mixtral"),
    QWEN2_MOE("qwen2_moe"),
    QWEN3_MOE("qwen3_moe"),
    OLMOE("olmoe");

    private final String modelType;

    Family(String modelType) {
        this.modelType = modelType;
    }

    public String modelType() {
        return modelType;
    }

    /** True for the latent-attention families (DeepSeek-V2/V3). */
    public boolean usesMla() {
        return this == DEEPSEEK_V2 || this == DEEPSEEK_V3;
    }

    public static Family fromModelType(String type) {
        for (Family f : values()) {
            if (f.modelType.equals(type)) {
                return f;
            }
        }
        return null;
    }

    public static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (Family f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.modelType);
        }
        return sb.toString();
    }
}
