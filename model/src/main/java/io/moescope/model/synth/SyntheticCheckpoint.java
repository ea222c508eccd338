package io.moescope.model.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.base.AtomicFiles;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.FloatDecoder;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Writes a Hugging Face checkpoint with the real shapes, tensor names and config keys of a known MoE model and
 * random weights (no tokenizer). The config is a preset ({@link Presets}); the tensors are what the engine's family
 * description says that config needs ({@link TensorPlan}), so synth has no tensor names of its own. Weights are generated tensor by tensor and streamed to the shard files, so the
 * model is never held in memory; the directory appears atomically (written under a temporary sibling, then renamed).
 *
 * <p>Scale: every linear weight is uniform with standard deviation 1/√in_features, norms are 1, the embedding has
 * standard deviation 1: hidden states stay O(1) and router logits have a spread of about 1, so routing is neither
 * uniform nor collapsed. Values depend only on the seed and the tensor's name (not on sharding).
 */
public final class SyntheticCheckpoint {

    /** Largest shard (data bytes); real checkpoints use 4–5 GB. */
    public static final long DEFAULT_SHARD_BYTES = 4_000_000_000L;

    /**
     * One tensor to write: name, shape and how it is filled. FLOAT tensors are written in the checkpoint's dtype,
     * uniform with standard deviation {@code value} (or all ones / zeros); U8 tensors (MXFP4 blocks and scales) as
     * random bytes or the byte {@code value}.
     */
    public record Spec(String name, long[] shape, Fill fill, double value) {

        /** How a tensor's values are made. */
        public enum Fill {
            UNIFORM,
            ONES,
            ZEROS,
            RANDOM_BYTES,
            BYTE
        }

        static Spec uniform(String name, double std, long... shape) {
            return new Spec(name, shape, Fill.UNIFORM, std);
        }

        static Spec ones(String name, long... shape) {
            return new Spec(name, shape, Fill.ONES, 1);
        }

        static Spec zeros(String name, long... shape) {
            return new Spec(name, shape, Fill.ZEROS, 0);
        }

        static Spec randomBytes(String name, long... shape) {
            return new Spec(name, shape, Fill.RANDOM_BYTES, 0);
        }

        static Spec constantByte(String name, int value, long... shape) {
            return new Spec(name, shape, Fill.BYTE, value);
        }

        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        boolean bytes() {
            return fill == Fill.RANDOM_BYTES || fill == Fill.BYTE;
        }

        /** Bytes per element in a checkpoint of {@code dtype}. */
        int elementSize(String dtype) {
            return bytes() ? 1 : dtype.equals("f32") ? 4 : 2;
        }
    }

    /** What {@link #write} produced. */
    public record Summary(Path directory, String modelType, int layers, int shards, int tensors, long bytes) {}

    private final String like;
    private final Map<String, Object> config;
    private final List<Spec> specs;

    private SyntheticCheckpoint(String like, Map<String, Object> config, List<Spec> specs) {
        this.like = like;
        this.config = config;
        this.specs = specs;
    }

    /** The presets {@code --like} accepts. */
    public static List<String> presets() {
        return Presets.names();
    }

    /**
     * @param like   a preset name ({@link #presets()})
     * @param dtype  "bf16", "f16" or "f32" (MXFP4 experts stay MXFP4)
     * @param layers number of decoder layers (0 = the real model's)
     */
    public static SyntheticCheckpoint of(String like, String dtype, int layers) {
        if (!dtype.equals("bf16") && !dtype.equals("f32") && !dtype.equals("f16")) {
            throw new IllegalArgumentException("--dtype must be bf16, f16 or f32, got '" + dtype + "'");
        }
        Map<String, Object> c = Presets.config(like);
        if (layers < 0) {
            throw new IllegalArgumentException("--layers must be positive");
        }
        if (layers > 0) {
            c.put("num_hidden_layers", layers);
        }
        Presets.fillLayerTypes(c, i(c, "num_hidden_layers"));
        c.put(
                "torch_dtype",
                switch (dtype) {
                    case "bf16" -> "bfloat16";
                    case "f16" -> "float16";
                    default -> "float32";
                });
        c.put("use_cache", true);
        return fromConfig(like, c);
    }

    /** A checkpoint for any config the engine parses (tests use small copies of the fixtures' configs). */
    static SyntheticCheckpoint fromConfig(String name, Map<String, Object> config) {
        ModelConfig parsed;
        try {
            parsed = ConfigParser.parse(Path.of(name, "config.json"), new ObjectMapper().valueToTree(config));
        } catch (ModelLoadException e) {
            throw new IllegalStateException("preset " + name + ": " + e.getMessage(), e);
        }
        return new SyntheticCheckpoint(name, config, TensorPlan.of(parsed));
    }

    public Map<String, Object> config() {
        return config;
    }

    public List<Spec> tensors() {
        return specs;
    }

    private static int i(Map<String, Object> c, String k) {
        return ((Number) c.get(k)).intValue();
    }

    /** Bytes of tensor data in the given dtype. */
    public long dataBytes(String dtype) {
        long n = 0;
        for (Spec t : specs) {
            n += t.elements() * t.elementSize(dtype);
        }
        return n;
    }

    /**
     * Writes the checkpoint to {@code out}. An existing {@code out} is refused unless {@code force}, in which case it is
     * replaced only after the new directory is complete.
     *
     * @param progress receives the bytes written so far (may be null)
     */
    public Summary write(Path out, String dtype, long seed, long maxShardBytes, boolean force, LongConsumer progress)
            throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !force) {
            throw new FileAlreadyExistsException(target + " exists; pass --force to replace it");
        }
        List<List<Spec>> shards = new ArrayList<>();
        List<Spec> cur = new ArrayList<>();
        long curBytes = 0;
        for (Spec t : specs) {
            long b = t.elements() * t.elementSize(dtype);
            if (!cur.isEmpty() && curBytes + b > maxShardBytes) {
                shards.add(cur);
                cur = new ArrayList<>();
                curBytes = 0;
            }
            cur.add(t);
            curBytes += b;
        }
        shards.add(cur);
        long[] written = {0};
        AtomicFiles.writeDirectory(target, tmp -> {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(tmp.resolve("config.json").toFile(), config);
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int k = 0; k < shards.size(); k++) {
                String name = shards.size() == 1
                        ? "model.safetensors"
                        : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", k + 1, shards.size());
                writeShard(tmp.resolve(name), shards.get(k), dtype, seed, written, progress);
                for (Spec t : shards.get(k)) {
                    weightMap.put(t.name(), name);
                }
            }
            if (shards.size() > 1) {
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("metadata", Map.of("total_size", written[0]));
                index.put("weight_map", weightMap);
                json.writeValue(tmp.resolve("model.safetensors.index.json").toFile(), index);
            }
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("_from_model_config", true);
            gen.put("bos_token_id", config.get("bos_token_id"));
            gen.put("eos_token_id", config.get("eos_token_id"));
            json.writeValue(tmp.resolve("generation_config.json").toFile(), gen);
        });
        return new Summary(
                target,
                (String) config.get("model_type"),
                i(config, "num_hidden_layers"),
                shards.size(),
                specs.size(),
                written[0]);
    }

    private static void writeShard(
            Path file, List<Spec> tensors, String dtype, long seed, long[] written, LongConsumer progress)
            throws IOException {
        boolean half = dtype.equals("f16");
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long off = 0;
        for (Spec t : tensors) {
            long b = t.elements() * t.elementSize(dtype);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", t.bytes() ? "U8" : dtype.equals("bf16") ? "BF16" : half ? "F16" : "F32");
            e.put("shape", t.shape());
            e.put("data_offsets", new long[] {off, off + b});
            header.put(t.name(), e);
            off += b;
        }
        byte[] hj = new ObjectMapper().writeValueAsBytes(header);
        int padded = (hj.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(hj);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            writeFully(ch, head);
            for (Spec t : tensors) {
                Rng rng = new Rng(seed
                        ^ (t.name().hashCode() * 0x9E3779B97F4A7C15L)
                        ^ t.name().length());
                float a = (float) (t.value() * Math.sqrt(3.0)); // uniform [-a, a] has std a/√3
                int es = t.elementSize(dtype);
                long n = t.elements();
                for (long i = 0; i < n; i++) {
                    switch (t.fill()) {
                        case RANDOM_BYTES -> buf.put((byte) (rng.next() >>> 56));
                        case BYTE -> buf.put((byte) t.value());
                        default -> {
                            float f = t.fill() == Spec.Fill.ONES
                                    ? 1f
                                    : t.fill() == Spec.Fill.ZEROS ? 0f : rng.uniform() * a;
                            if (half) {
                                buf.putShort(FloatDecoder.toF16(f));
                            } else if (es == 2) {
                                buf.putShort(FloatDecoder.toBf16(f));
                            } else {
                                buf.putFloat(f);
                            }
                        }
                    }
                    if (buf.remaining() < 4) {
                        buf.flip();
                        written[0] += buf.remaining();
                        writeFully(ch, buf);
                        buf.clear();
                        if (progress != null) {
                            progress.accept(written[0]);
                        }
                    }
                }
            }
            buf.flip();
            written[0] += buf.remaining();
            writeFully(ch, buf);
        }
        if (progress != null) {
            progress.accept(written[0]);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** xorshift64*: fast, deterministic, good enough for weights. */
    private static final class Rng {
        private long s;

        Rng(long seed) {
            s = seed == 0 ? 0x2545F4914F6CDD1DL : seed;
            for (int k = 0; k < 4; k++) {
                next();
            }
        }

        long next() {
            s ^= s >>> 12;
            s ^= s << 25;
            s ^= s >>> 27;
            return s * 0x2545F4914F6CDD1DL;
        }

        /** Uniform in [-1, 1). */
        float uniform() {
            return ((next() >>> 40) * 0x1p-24f) * 2f - 1f;
        }
    }

    @Override
    public String toString() {
        return like + " " + config.get("model_type") + " " + specs.size() + " tensors";
    }
}
