package io.moescope.model.ggufmodel;

import io.moescope.model.chat.ChatTemplate;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.gguf.GgmlType;
import io.moescope.model.gguf.GgufFile;
import io.moescope.model.gguf.GgufTensor;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.GgufTokenizerJson;
import io.moescope.model.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An open GGUF model file as the loader needs it: configuration, tensors under Hugging Face names, the matrix
 * factory over its blocks, and its tokenizer and chat template from the metadata.
 */
public final class GgufCheckpoint implements AutoCloseable {

    private final GgufFile gguf;
    private final ModelConfig config;
    private final GgufSource source;

    private GgufCheckpoint(GgufFile gguf, ModelConfig config, GgufSource source) {
        this.gguf = gguf;
        this.config = config;
        this.source = source;
    }

    /** True for a path that names a GGUF file (by its extension; the content is validated on open). */
    public static boolean isGguf(Path path) {
        return path.getFileName() != null
                && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")
                && !Files.isDirectory(path);
    }

    /** Opens and validates a GGUF file (the first part of a split one) and reads its configuration. */
    public static GgufCheckpoint open(Path file) throws ModelLoadException {
        GgufFile gguf = GgufFile.open(file);
        try {
            ModelConfig config = GgufConfig.read(gguf);
            GgufSource source = GgufSource.of(
                    gguf, config.family().gguf(), config.numLayers(), config.numHeads(), config.numKvHeads());
            return new GgufCheckpoint(gguf, config, source);
        } catch (ModelLoadException | RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public GgufSource source() {
        return source;
    }

    public GgufMatrixFactory factory() {
        return new GgufMatrixFactory(source);
    }

    /** The tokenizer the metadata describes, or null if the file has none. */
    public HfTokenizer tokenizer() throws ModelLoadException {
        return gguf.has("tokenizer.ggml.model") ? GgufTokenizerJson.load(gguf.file(), gguf.metadata()) : null;
    }

    /** The chat template ({@code tokenizer.chat_template}), or null if the file has none. */
    public ChatTemplate chatTemplate() throws ModelLoadException {
        return gguf.has("tokenizer.chat_template") ? ChatTemplate.fromGguf(gguf.file(), gguf.metadata()) : null;
    }

    /** "GGUF qwen3moe, Q4_K 61 %, Q6_K 12 %, F32 1 %, 18.56 GB": architecture, type mix by bytes, file size. */
    public String summary() {
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        long total = 0;
        for (GgufTensor t : gguf.tensors().values()) {
            bytes.merge(t.type(), t.byteSize(), Long::sum);
            total += t.byteSize();
        }
        List<Map.Entry<GgmlType, Long>> mix = new ArrayList<>(bytes.entrySet());
        mix.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder s =
                new StringBuilder("GGUF ").append(config.family().gguf().arch());
        for (Map.Entry<GgmlType, Long> e : mix) {
            s.append(", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(Math.round(100.0 * e.getValue() / Math.max(1, total)))
                    .append(" %");
        }
        long size = 0;
        for (Path p : gguf.parts()) {
            try {
                size += Files.size(p);
            } catch (IOException e) {
                // the file was readable a moment ago; leave it out of the size
            }
        }
        return s.append(", ")
                .append(String.format(Locale.ROOT, "%.2f GB", size / 1e9))
                .toString();
    }

    @Override
    public void close() {
        source.close();
    }
}
