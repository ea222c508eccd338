package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one safetensors writer, read back by the engine's reader ({@link SafetensorsFile}, {@link WeightStore}). */
class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesAlignedHeaderAndReadsBackThroughTheEngineReader() throws Exception {
        Path f = tmp.resolve("model.safetensors");
        float[] a = {1f, -0.5f, 0.25f, 2f, 0f, 7f};
        float[] b = {0.123456789f, -3f, 1e-7f};
        float[] c = {1.5f, -65504f, 3.140625f, 0.1f};
        List<Long> progress = new ArrayList<>();
        try (SafetensorsWriter w = SafetensorsWriter.create(
                f,
                List.of(
                        new SafetensorsWriter.Entry("w", DType.F16, new long[] {2, 3}),
                        new SafetensorsWriter.Entry("empty", DType.F32, new long[] {0, 4}),
                        new SafetensorsWriter.Entry("bias", DType.F32, new long[] {3}),
                        new SafetensorsWriter.Entry("bf", DType.BF16, new long[] {2, 2})),
                progress::add)) {
            w.put(a);
            w.put(b);
            w.put(c);
        }
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8, "data section is 8-byte aligned");
        assertEquals(8 + n + 6 * 2 + 3 * 4 + 4 * 2, bytes.length);
        assertEquals(List.of(6L * 2 + 3 * 4 + 4 * 2), progress);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("pt", header.get("__metadata__").get("format").asText(), "the metadata torch writes");
        assertEquals(List.of("__metadata__", "w", "empty", "bias", "bf"), names(header), "tensors in the given order");

        SafetensorsFile file = SafetensorsFile.open(f);
        assertEquals(DType.F16, file.tensors().get("w").dtype());
        assertArrayEquals(new long[] {2, 3}, file.tensors().get("w").shape());
        assertEquals("pt", file.metadata().get("format"));
        try (WeightStore ws = WeightStore.open(tmp)) {
            assertArrayEquals(a, ws.readFloats("w"), "these values are exact in F16");
            assertArrayEquals(b, ws.readFloats("bias"), "F32 is stored exactly");
            float[] bf = ws.readFloats("bf");
            for (int i = 0; i < c.length; i++) {
                assertEquals(FloatDecoder.bf16(FloatDecoder.toBf16(c[i])), bf[i]);
            }
            assertEquals(0, ws.readFloats("empty").length);
        }
    }

    @Test
    void headerIsByteForByteWhatTheFormatSpecifies() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SafetensorsWriter w = new SafetensorsWriter(
                out, List.of(new SafetensorsWriter.Entry("x", DType.F32, new long[] {1})), null)) {
            w.put(2f);
        }
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"x\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer want = ByteBuffer.allocate(8 + padded + 4).order(ByteOrder.LITTLE_ENDIAN);
        want.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
        while (want.position() < 8 + padded) {
            want.put((byte) ' ');
        }
        want.putFloat(2f);
        assertArrayEquals(want.array(), out.toByteArray());
    }

    @Test
    void refusesMissingOrExtraValuesAndUnwritableTypes() throws IOException {
        List<SafetensorsWriter.Entry> one = List.of(new SafetensorsWriter.Entry("x", DType.F16, new long[] {2}));
        IllegalStateException short1 = assertThrows(IllegalStateException.class, () -> {
            try (SafetensorsWriter w = new SafetensorsWriter(new ByteArrayOutputStream(), one, null)) {
                w.put(1f);
            }
        });
        assertTrue(short1.getMessage().contains("missing 1 values"), short1.getMessage());
        assertThrows(IllegalStateException.class, () -> {
            try (SafetensorsWriter w = new SafetensorsWriter(new ByteArrayOutputStream(), one, null)) {
                w.put(new float[] {1f, 2f, 3f});
            }
        });
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter.Entry("i", DType.I32, new long[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SafetensorsWriter(new ByteArrayOutputStream(), List.of(one.get(0), one.get(0)), null),
                "repeated name");
        Files.writeString(tmp.resolve("taken.safetensors"), "x");
        assertThrows(
                java.nio.file.FileAlreadyExistsException.class,
                () -> SafetensorsWriter.create(tmp.resolve("taken.safetensors"), one, null));
    }

    private static List<String> names(JsonNode header) {
        List<String> out = new ArrayList<>();
        header.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
