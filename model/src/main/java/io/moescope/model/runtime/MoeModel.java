package io.moescope.model.runtime;

import io.moescope.model.chat.ChatTemplate;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.ggufmodel.GgufCheckpoint;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.io.WeightStore;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.tokenizer.Tokenizer;
import io.moescope.model.trace.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/** A loaded checkpoint: config, weights turned into a runnable {@link Transformer}, and its tokenizer (if any). */
public final class MoeModel implements AutoCloseable {

    private final Path directory;
    private final ModelConfig config;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ModelShape shape;

    private final WeightMode weightMode;
    private final long residentBytes;
    private final long mappedBytes;
    private final String summary;
    private final ChatTemplate chatTemplate;

    private MoeModel(
            Path directory,
            ModelConfig config,
            Transformer transformer,
            Tokenizer tokenizer,
            WeightMode weightMode,
            long[] estimate,
            String summary,
            ChatTemplate chatTemplate) {
        this.summary = summary;
        this.chatTemplate = chatTemplate;
        this.weightMode = weightMode;
        this.residentBytes = estimate[0];
        this.mappedBytes = estimate[1];
        this.directory = directory;
        this.config = config;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.shape = RecordingShape.of(config); // the one place a config becomes a trace header
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
        return open(dir, memoryBudget, WeightMode.AUTO, progress, cancelled);
    }

    /**
     * Opens a Hugging Face model directory with weights held as {@code mode} says, or a GGUF file (the first part of
     * a split one), whose weights always stay in the file in their own encoding ({@code mode} is ignored).
     *
     * @param memoryBudget bytes the model may occupy; 0 = the machine's available memory
     */
    public static MoeModel open(
            Path dir, long memoryBudget, WeightMode mode, LoadProgress progress, BooleanSupplier cancelled)
            throws ModelLoadException {
        if (GgufCheckpoint.isGguf(dir)) {
            return openGguf(dir, memoryBudget, progress, cancelled);
        }
        if (!Files.isDirectory(dir)) {
            throw ModelLoadException.at(
                    dir,
                    Files.exists(dir) ? "is neither a model directory nor a .gguf file" : "model directory not found");
        }
        ModelConfig config = ConfigParser.read(dir);
        WeightStore store = WeightStore.open(dir, config.fp8Block());
        try {
            long available = MemoryEstimate.availableBytes();
            long limit = memoryBudget > 0 ? Math.min(memoryBudget, available) : available;
            if (mode == WeightMode.AUTO) {
                String forced = System.getProperty("moescope.weights");
                mode = forced != null ? WeightMode.parse(forced) : WeightMode.AUTO;
            }
            if (mode == WeightMode.AUTO) {
                mode = autoMode(
                        store.tensors().values(),
                        estimate(store, MatrixFactory.FP32)[0],
                        limit,
                        Runtime.getRuntime().maxMemory());
            }
            MatrixFactory factory = mode == WeightMode.NATIVE ? MatrixFactory.mapped() : MatrixFactory.FP32;
            long[] need = estimate(store, factory);
            checkMemory(dir, need, limit, memoryBudget > 0, mode);
            Tokenizer tok = null;
            if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                tok = HfTokenizer.loadForModel(dir);
            }
            try {
                ChatTemplate chat = ChatTemplate.findInModelDir(dir);
                Transformer t = CheckpointLoader.load(config, store, factory, progress, cancelled);
                return new MoeModel(
                        dir, config, t, tok, mode, need, "safetensors, " + MemoryEstimate.gb(store.totalBytes()), chat);
            } catch (ModelLoadException | RuntimeException e) {
                if (tok != null) {
                    tok.close(); // the weights failed: release the tokenizer's native handle too
                }
                throw e;
            }
        } finally {
            store.close();
        }
    }

    /**
     * What {@link WeightMode#AUTO} becomes for a safetensors directory. BF16 weights widen exactly and cheaply, so
     * reading them in place gives the same products from half the bytes (and no copy). F16 needs a longer widening
     * sequence on this JDK (no half-float lanes) and measured slower than FP32 copies, so F16 and FP32 files keep
     * the FP32 path while its copies fit the memory limit and the Java heap (-Xmx). Packed integer tensors (gpt-oss's
     * MXFP4 blocks and scales) are read in place on both paths and count for neither side: counted as "other" they
     * sent gpt-oss-20b (3.6 GB BF16, 10 GB MXFP4) to 7 GB of FP32 copies and an OutOfMemoryError under -Xmx3g.
     *
     * @param fp32HeapBytes the heap the FP32 path needs ({@link #estimate})
     */
    static WeightMode autoMode(Collection<TensorInfo> tensors, long fp32HeapBytes, long limit, long maxHeap) {
        long bf16 = 0;
        long other = 0;
        for (TensorInfo t : tensors) {
            if (t.dtype() == io.moescope.model.io.DType.BF16) {
                bf16 += t.byteLength();
            } else if (t.dtype().isFloat()) {
                other += t.byteLength();
            }
        }
        return bf16 <= other && fp32HeapBytes <= Math.min(limit, maxHeap) ? WeightMode.FP32 : WeightMode.NATIVE;
    }

    /** A GGUF file: weights read in place, F32 tensors copied; refused if heap or heap + mapped bytes cannot fit. */
    private static MoeModel openGguf(Path file, long memoryBudget, LoadProgress progress, BooleanSupplier cancelled)
            throws ModelLoadException {
        try (GgufCheckpoint gguf = GgufCheckpoint.open(file)) {
            MatrixFactory factory = gguf.factory();
            long[] need = estimate(gguf.source(), factory);
            long available = MemoryEstimate.availableBytes();
            long limit = memoryBudget > 0 ? Math.min(memoryBudget, available) : available;
            String where = memoryBudget > 0 ? " is allowed by the memory budget" : " is available";
            if (need[0] > Runtime.getRuntime().maxMemory()) {
                limit = Runtime.getRuntime().maxMemory();
                where = " fits the Java heap (-Xmx)";
            }
            if (need[0] > limit || need[0] + need[1] > limit) {
                throw ModelLoadException.at(
                        file,
                        "the model needs about " + MemoryEstimate.gb(need[0] + need[1])
                                + " of memory (" + MemoryEstimate.gb(need[0]) + " on the heap + "
                                + MemoryEstimate.gb(need[1])
                                + " mapped from the file) but only " + MemoryEstimate.gb(limit) + where
                                + "; nothing was loaded");
            }
            Tokenizer tok = gguf.tokenizer();
            try {
                ChatTemplate chat = gguf.chatTemplate();
                Transformer t = CheckpointLoader.load(gguf.config(), gguf.source(), factory, progress, cancelled);
                return new MoeModel(file, gguf.config(), t, tok, WeightMode.NATIVE, need, gguf.summary(), chat);
            } catch (ModelLoadException | RuntimeException e) {
                if (tok != null) {
                    tok.close();
                }
                throw e;
            }
        }
    }

    /**
     * {resident heap bytes, memory-mapped bytes} for the given factory: weights it copies count 4 bytes per value
     * (+10 % transient conversion copies, +64 MB runtime); weights it leaves in the file count their file bytes as
     * mapped (page cache, shared and evictable).
     */
    private static long[] estimate(TensorSource store, MatrixFactory factory) {
        long heap = 0;
        long mapped = 0;
        for (TensorInfo t : store.tensors().values()) {
            if (factory.keepsMapped(t) || !t.dtype().isFloat()) { // packed MXFP4 blocks are read in place
                mapped += t.byteLength();
            } else {
                heap += t.elementCount() * 4L;
            }
        }
        return new long[] {heap * 11 / 10 + (64L << 20), mapped};
    }

    /** Refuses, before reading anything, a model whose resident part cannot fit. */
    private static void checkMemory(Path dir, long[] need, long limit, boolean budgeted, WeightMode mode)
            throws ModelLoadException {
        if (need[0] > limit) {
            throw ModelLoadException.at(
                    dir,
                    "the model needs about " + MemoryEstimate.gb(need[0])
                            + " of memory ("
                            + (mode == WeightMode.FP32 ? "weights as FP32" : "weights not kept mapped, as FP32")
                            + ") but only " + MemoryEstimate.gb(limit)
                            + (budgeted ? " is allowed by the memory budget" : " is available") + "; nothing was loaded"
                            + (mode == WeightMode.FP32
                                    ? " (--weights native keeps BF16 weights mapped in the file)"
                                    : ""));
        }
    }

    /** The weight path chosen when the model was opened (FP32 or NATIVE, never AUTO). */
    public WeightMode weightMode() {
        return weightMode;
    }

    /** Estimated heap bytes of the loaded weights. */
    public long residentBytes() {
        return residentBytes;
    }

    /** Bytes of weights read straight from the memory-mapped files (page cache). */
    public long mappedBytes() {
        return mappedBytes;
    }

    /** The model directory, or the GGUF file (its first part). */
    public Path directory() {
        return directory;
    }

    /** Storage format, type mix and size, e.g. "GGUF olmoe, Q4_K 61 %, Q6_K 12 %, F32 1 %, 4.21 GB". */
    public String summary() {
        return summary;
    }

    /**
     * The model's chat template, or null for a base model without one: a GGUF file's {@code tokenizer.chat_template};
     * a directory's chat_template.jinja, else the {@code chat_template} of its tokenizer_config.json.
     */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** The chat template, or a one-line error saying the model has none (a base model: prompt it with text). */
    public ChatTemplate requireChatTemplate() throws ModelLoadException {
        if (chatTemplate == null) {
            throw ModelLoadException.at(
                    directory,
                    "has no chat template ("
                            + (GgufCheckpoint.isGguf(directory)
                                    ? "no tokenizer.chat_template in the file"
                                    : "no chat_template.jinja, no chat_template in tokenizer_config.json")
                            + "); prompt it with plain text instead");
        }
        return chatTemplate;
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

    /** Weight bytes one token reads (attention + the experts it activates), for the app's dashboard. */
    public long activeBytesPerToken() {
        return transformer.activeBytesPerToken();
    }

    /** The model's tokenizer, or null if the directory has no tokenizer.json. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The tokenizer, or a clear error if the directory has none. */
    public Tokenizer requireTokenizer() throws ModelLoadException {
        if (tokenizer == null) {
            throw ModelLoadException.at(
                    directory,
                    (GgufCheckpoint.isGguf(directory) ? "has no tokenizer metadata" : "has no tokenizer.json")
                            + "; pass token ids instead of text");
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
