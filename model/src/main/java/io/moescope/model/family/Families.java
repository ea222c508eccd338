package io.moescope.model.family;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of supported families, keyed by config.json {@code model_type}. */
public final class Families {

    private static final Map<String, ModelFamily> BY_TYPE = new LinkedHashMap<>();

    static {
        for (ModelFamily f : List.of(
                new DeepseekV1(),
                new DeepseekV2(),
                new DeepseekV3(),
                new Mixtral(),
                new Qwen2Moe(),
                new Qwen3Moe(),
                new Olmoe(),
                new GptOss(),
                new Qwen3Next(),
                new Qwen35Moe(),
                new Glm4Moe(),
                new Ernie45Moe(),
                new GraniteMoe(false),
                new GraniteMoe(true),
                new Lfm2Moe(),
                new Gemma4())) {
            BY_TYPE.put(f.modelType(), f);
        }
    }

    private Families() {}

    /** The family of a model_type, or null if unsupported. */
    public static ModelFamily forModelType(String modelType) {
        return BY_TYPE.get(modelType);
    }

    /** The family whose multimodal wrapper config has this model_type ({@link ModelFamily#wrapperType}), or null. */
    public static ModelFamily forWrapperType(String modelType) {
        for (ModelFamily f : BY_TYPE.values()) {
            if (modelType.equals(f.wrapperType())) {
                return f;
            }
        }
        return null;
    }

    /** All families, in registration order. */
    public static List<ModelFamily> all() {
        return List.copyOf(BY_TYPE.values());
    }

    /** "deepseek, deepseek_v2, ..." for error messages. */
    public static String supportedList() {
        return String.join(", ", BY_TYPE.keySet());
    }
}
