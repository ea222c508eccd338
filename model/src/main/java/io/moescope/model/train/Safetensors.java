package io.moescope.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal safetensors writer (F16 or F32 per tensor) and reader (F16, BF16, F32 → float[]). */
public final class Safetensors {
    /** A tensor to write: F16 unless {@code f32}. */
    public record Entry(String name, long[] shape, float[] data, boolean f32) {
    }

    private Safetensors() {
    }

    public static void write(Path file, List<Entry> entries) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Entry e : entries) {
            long bytes = (long) e.data().length * (e.f32() ? 4 : 2);
            header.put(e.name(), Map.of("dtype", e.f32() ? "F32" : "F16", "shape", e.shape(),
                    "data_offsets", new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        StringBuilder json = new StringBuilder(new ObjectMapper().writeValueAsString(header));
        while ((8 + json.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) {
            json.append(' ');
        }
        byte[] hb = json.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).array());
            out.write(hb);
            for (Entry e : entries) {
                ByteBuffer bb = ByteBuffer.allocate(e.data().length * (e.f32() ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : e.data()) {
                    if (e.f32()) {
                        bb.putFloat(f);
                    } else {
                        bb.putShort(Half.fromFloat(f));
                    }
                }
                out.write(bb.array());
            }
        }
    }

    /** Reads every tensor as FP32. */
    public static Map<String, float[]> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(bb.getLong(0));
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, n, StandardCharsets.UTF_8));
        Map<String, float[]> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String dtype = e.getValue().get("dtype").asText();
            int begin = 8 + n + e.getValue().get("data_offsets").get(0).asInt();
            int end = 8 + n + e.getValue().get("data_offsets").get(1).asInt();
            int width = dtype.equals("F32") ? 4 : 2;
            float[] data = new float[(end - begin) / width];
            for (int i = 0; i < data.length; i++) {
                int p = begin + i * width;
                switch (dtype) {
                    case "F32":
                        data[i] = bb.getFloat(p);
                        break;
                    case "F16":
                        data[i] = Half.toFloat(bb.getShort(p));
                        break;
                    case "BF16":
                        data[i] = Float.intBitsToFloat((bb.getShort(p) & 0xFFFF) << 16);
                        break;
                    default:
                        throw new IOException("unsupported dtype " + dtype + " for " + e.getKey() + " in " + file);
                }
            }
            out.put(e.getKey(), data);
        }
        return out;
    }
}
