package io.moescope.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.io.DType;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small FP8 checkpoints for block-size tests: a raw safetensors writer and a re-blocked copy of a fixture. */
public final class Fp8Fixtures {

    private Fp8Fixtures() {}

    /** One tensor as stored: safetensors dtype name, shape, little-endian bytes. */
    public record Raw(String dtype, long[] shape, byte[] data) {

        public static Raw f32(long[] shape, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            return new Raw("F32", shape, b.array());
        }
    }

    /** Writes the tensors, in order, as one safetensors file. */
    public static void write(Path file, Map<String, Raw> tensors) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            ObjectNode t =
                    header.putObject(e.getKey()).put("dtype", e.getValue().dtype());
            for (long d : e.getValue().shape()) {
                t.withArray("shape").add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.getValue().data().length);
            offset += e.getValue().data().length;
        }
        byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(padded)
                    .array());
            out.write(h);
            out.write(" ".repeat(padded - h.length).getBytes(StandardCharsets.US_ASCII));
            for (Raw r : tensors.values()) {
                out.write(r.data());
            }
        }
    }

    /**
     * Copies fixture {@code deepseek_v3_fp8} (128×128 blocks) into {@code dst} with every {@code _scale_inv} re-gridded
     * to rows×cols blocks (each must divide 128, so every new block lies inside one old block and the dequantised
     * weights stay bit-identical) and {@code quantization_config.weight_block_size} set to {@code declared}.
     */
    public static Path reblocked(Path dst, int rows, int cols, List<Integer> declared) throws Exception {
        if (128 % rows != 0 || 128 % cols != 0) {
            throw new IllegalArgumentException("the block must divide 128");
        }
        Path src = Fixtures.dir("deepseek_v3_fp8");
        Map<String, Raw> out = new LinkedHashMap<>();
        try (WeightStore store = WeightStore.open(src)) {
            for (TensorInfo t : store.tensors().values()) {
                if (t.name().endsWith("_scale_inv")) {
                    out.put(t.name(), regrid(store, t, rows, cols));
                } else {
                    ByteBuffer b = store.map(t, 0, t.byteLength());
                    byte[] data = new byte[(int) t.byteLength()];
                    b.get(data);
                    out.put(t.name(), new Raw(t.dtype().name(), t.shape(), data));
                }
            }
        }
        Files.createDirectories(dst);
        write(dst.resolve("model.safetensors"), out);
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(src.resolve("config.json").toFile());
        ((ObjectNode) cfg.get("quantization_config")).set("weight_block_size", json.valueToTree(declared));
        json.writeValue(dst.resolve("config.json").toFile(), cfg);
        Files.copy(src.resolve("expected.json"), dst.resolve("expected.json"));
        return dst;
    }

    private static Raw regrid(WeightStore store, TensorInfo scale, int rows, int cols) throws Exception {
        TensorInfo weight = store.info(scale.name().substring(0, scale.name().length() - "_scale_inv".length()));
        if (weight.dtype() != DType.F8_E4M3) {
            throw new IllegalStateException(weight.name() + " is not FP8");
        }
        float[] old = store.readFloats(scale);
        long[] ws = weight.shape();
        int rank = ws.length;
        int lead = 1;
        for (int i = 0; i < rank - 2; i++) {
            lead *= (int) ws[i];
        }
        int oldR = (int) scale.shape()[rank - 2];
        int oldC = (int) scale.shape()[rank - 1];
        int newR = (int) ((ws[rank - 2] + rows - 1) / rows);
        int newC = (int) ((ws[rank - 1] + cols - 1) / cols);
        float[] grid = new float[lead * newR * newC]; // [lead, newR, newC]
        for (int m = 0; m < lead; m++) {
            for (int r = 0; r < newR; r++) {
                for (int c = 0; c < newC; c++) {
                    grid[(m * newR + r) * newC + c] = old[(m * oldR + r * rows / 128) * oldC + c * cols / 128];
                }
            }
        }
        long[] shape = scale.shape();
        shape[rank - 2] = newR;
        shape[rank - 1] = newC;
        return Raw.f32(shape, grid);
    }
}
