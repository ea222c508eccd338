package io.moescope.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The one way into DJL's Hugging Face tokenizers: each factory first makes sure MoE Scope is {@link Offline}, so no
 * tokenizer anywhere (engine, trainer, tests, benchmarks) can be built before DJL's telemetry is off.
 */
public final class DjlTokenizers {

    private DjlTokenizers() {}

    /** A tokenizer from a tokenizer.json stream, with DJL's options (see HuggingFaceTokenizer.newInstance). */
    public static HuggingFaceTokenizer newInstance(InputStream json, Map<String, String> options) throws IOException {
        Offline.enforce();
        return HuggingFaceTokenizer.newInstance(json, options);
    }

    /** DJL's builder, for callers that set options one by one. */
    public static HuggingFaceTokenizer.Builder builder() {
        Offline.enforce();
        return HuggingFaceTokenizer.builder();
    }
}
