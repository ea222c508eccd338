package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.TraceSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity (c), greedy part: on the same GGUF file, our greedy continuation equals llama.cpp's own, as recorded
 * from a recent build (node-llama-cpp) in gguf/models/llama_cpp_greedy.json (16 tokens, or fewer where llama.cpp
 * stopped at an end-of-generation token).
 */
class GgufVsLlamaCppTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"olmoe.f32.gguf", "mixtral.f32.gguf", "deepseek.f32.gguf"})
    void greedyContinuationEqualsLlamaCpp(String file) throws Exception {
        JsonNode rec = new ObjectMapper().readTree(GgufRuns.MODELS.resolve("llama_cpp_greedy.json").toFile());
        int[] prompt = Fixtures.ints(rec.get("prompt"));
        int[] want = Fixtures.ints(rec.get("generated").get(file));
        try (MoeModel model = MoeModel.open(GgufRuns.MODELS.resolve(file))) {
            GenerationRequest req = new GenerationRequest(prompt, want.length, SamplingParams.GREEDY,
                    Intervention.NONE, false, false);
            int[] got = new Generator(model).generate(req, TraceSink.DISABLED, TokenListener.NONE).generatedIds();
            assertArrayEquals(want, got, file + " greedy continuation");
        }
    }
}
