package io.moescope.model.runtime;

import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.tokenizer.Tokenizer;
import io.moescope.model.trace.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** A loaded checkpoint: config, weights turned into a runnable {@link Transformer}, and its tokenizer (if any). */
public final class MoeModel implements AutoCloseable {

    private final Path directory;
    private final ModelConfig config;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ModelShape shape;

    private MoeModel(Path directory, ModelConfig config, Transformer transformer, Tokenizer tokenizer) {
        this.directory = directory;
        this.config = config;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.shape = new ModelShape(config.family().modelType(), config.numLayers(), config.moeLayers(),
                config.routedExperts(), config.sharedExperts(), config.topK(), config.vocabSize());
    }

    public static MoeModel open(Path dir) throws ModelLoadException {
        return open(dir, 0, LoadProgress.NONE, () -> false);
    }

    /**
     * Opens a Hugging Face model directory.
     *
     * @param memoryBudget bytes the model may occupy; 0 = the machine's available memory
     */
    public static MoeModel open(Path dir, long memoryBudget, LoadProgress progress, BooleanSupplier cancelled)
            throws ModelLoadException {
        if (!Files.isDirectory(dir)) {
            throw ModelLoadException.at(dir, Files.exists(dir) ? "is not a directory" : "model directory not found");
        }
        ModelConfig config = ConfigParser.read(dir);
        WeightStore store = WeightStore.open(dir);
        try {
            checkMemory(dir, store, memoryBudget);
            Tokenizer tok = null;
            if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                tok = HfTokenizer.loadForModel(dir);
            }
            Transformer t = CheckpointLoader.load(config, store, MatrixFactory.FP32, progress, cancelled);
            return new MoeModel(dir, config, t, tok);
        } finally {
            store.close();
        }
    }

    /** Every weight becomes FP32 in memory in this version: refuse what cannot fit, before reading anything. */
    private static void checkMemory(Path dir, WeightStore store, long budget) throws ModelLoadException {
        long need = 0;
        for (TensorInfo t : store.tensors().values()) {
            need += t.elementCount() * 4L;
        }
        need = need * 11 / 10 + (64L << 20); // transient conversion copies and runtime
        long available = MemoryEstimate.availableBytes();
        long limit = budget > 0 ? Math.min(budget, available) : available;
        if (need > limit) {
            throw ModelLoadException.at(dir, "the model needs about " + MemoryEstimate.gb(need)
                    + " of memory (weights as FP32) but only " + MemoryEstimate.gb(limit)
                    + (budget > 0 ? " is allowed by the memory budget" : " is available") + "; nothing was loaded");
        }
    }

    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return config;
    }

    public ModelShape shape() {
        return shape;
    }

    public Transformer transformer() {
        return transformer;
    }

    /** The model's tokenizer, or null if the directory has no tokenizer.json. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The tokenizer, or a clear error if the directory has none. */
    public Tokenizer requireTokenizer() throws ModelLoadException {
        if (tokenizer == null) {
            throw ModelLoadException.at(directory, "has no tokenizer.json; pass token ids instead of text");
        }
        return tokenizer;
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
