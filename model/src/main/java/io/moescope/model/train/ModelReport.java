package io.moescope.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the validation report and one greedy sample per domain of a model directory (material for its README). */
final class ModelReport {
    /** Domain → prompt used for the README samples. */
    static final Map<String, String> PROMPTS = new LinkedHashMap<>();

    static {
        PROMPTS.put("code_python", "def __init__(self");
        PROMPTS.put("en_shakespeare", "ROMEO:\n");
        PROMPTS.put("math_arithmetic", "154 + 231 = 385\n97 * 3 =");
        PROMPTS.put("zh_classics", "子曰：");
    }

    private ModelReport() {
    }

    static void write(Path modelDir, Path corpusDir, Path valJson, Path samplesJson, int tokens) throws IOException {
        ValidationReport rep = Validation.run(modelDir, corpusDir);
        Files.writeString(valJson, rep.toJson(), StandardCharsets.UTF_8);
        List<Map<String, String>> out = new ArrayList<>();
        try (Sampler s = new Sampler(modelDir, 128)) {
            for (Map.Entry<String, String> e : PROMPTS.entrySet()) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("domain", e.getKey());
                m.put("prompt", e.getValue());
                m.put("text", s.generate(e.getValue(), tokens, 0, 1));
                out.add(m);
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(samplesJson.toFile(), out);
    }
}
