package io.moescope.model.gguf;

import static io.moescope.model.gguf.DequantizeGoldenTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata of every value type (written by gguf-py), typed getters, a GGUF v2 file and a split model. */
class GgufMetadataTest {

    private static void assertError(String expected, ThrowingRunnable call) {
        ModelLoadException e = assertThrows(ModelLoadException.class, call::run);
        assertEquals(expected, e.getMessage());
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void everyValueTypeReadsBackExactlyInFileOrder() throws Exception {
        try (GgufFile gguf = GgufFile.open(resource("blocks.gguf"))) {
            assertEquals(3, gguf.version());
            assertEquals(32, gguf.alignment());
            Map<String, Object> m = gguf.metadata();
            List<String> keys = new ArrayList<>(m.keySet());
            assertEquals(
                    List.of(
                            "general.architecture",
                            "test.u8",
                            "test.i8",
                            "test.u16",
                            "test.i16",
                            "test.u32",
                            "test.i32",
                            "test.f32",
                            "test.bool_true",
                            "test.bool_false",
                            "test.string",
                            "test.empty_string",
                            "test.u64",
                            "test.i64",
                            "test.f64",
                            "test.strings",
                            "test.u8s",
                            "test.i32s",
                            "test.f32s",
                            "test.bools",
                            "test.nested"),
                    keys);
            assertEquals("blocktest", m.get("general.architecture"));
            assertEquals(200L, m.get("test.u8"));
            assertEquals(-100L, m.get("test.i8"));
            assertEquals(60000L, m.get("test.u16"));
            assertEquals(-30000L, m.get("test.i16"));
            assertEquals(4000000000L, m.get("test.u32"));
            assertEquals(-2000000000L, m.get("test.i32"));
            assertEquals((double) 0.1f, m.get("test.f32"));
            assertEquals(true, m.get("test.bool_true"));
            assertEquals(false, m.get("test.bool_false"));
            assertEquals("h\u00e9llo \u2713 \uD83D\uDE42", m.get("test.string"));
            assertEquals("", m.get("test.empty_string"));
            assertEquals(Long.MAX_VALUE, m.get("test.u64"));
            assertEquals(-(1L << 62) - 5, m.get("test.i64"));
            assertEquals(1e-300, m.get("test.f64"));
            assertEquals(List.of("a", "", "\u00fcn\u00ef", "<0x0A>", "\u2581Hello"), m.get("test.strings"));
            assertEquals(List.of(0L, 1L, 255L), m.get("test.u8s"));
            assertEquals(List.of(1L, -2L, 2147483647L), m.get("test.i32s"));
            assertEquals(List.of(0.5, -1.25, (double) 3.0e38f), m.get("test.f32s"));
            assertEquals(List.of(true, false, true), m.get("test.bools"));
            assertEquals(List.of(List.of(1L, 2L), List.of(3L)), m.get("test.nested"));
            assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1L));
            assertThrows(
                    UnsupportedOperationException.class,
                    () -> gguf.getArray("test.u8s").add(1L));
        }
    }

    @Test
    void typedGettersConvertOrSayWhatIsWrong() throws Exception {
        Path file = resource("blocks.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals("blocktest", gguf.getString("general.architecture"));
            assertEquals(-2000000000, gguf.getInt("test.i32"));
            assertEquals(4000000000L, gguf.getLong("test.u32"));
            assertEquals(0.1f, gguf.getFloat("test.f32"));
            assertEquals(1e-300, gguf.getDouble("test.f64"));
            assertEquals(60000f, gguf.getFloat("test.u16"));
            assertEquals(true, gguf.getBool("test.bool_true"));
            assertEquals(
                    List.of("a", "", "\u00fcn\u00ef", "<0x0A>", "\u2581Hello"), gguf.getStringArray("test.strings"));
            assertArrayEquals(new int[] {1, -2, 2147483647}, gguf.getIntPerLayer("test.i32s", 3));
            assertArrayEquals(new int[] {200, 200}, gguf.getIntPerLayer("test.u8", 2));
            assertEquals(7, gguf.getInt("qwen3moe.block_count", 7));
            assertEquals("x", gguf.getString("nope", "x"));
            assertFalse(gguf.has("nope"));

            assertError(
                    file + ": metadata key 'qwen3moe.block_count' missing", () -> gguf.getInt("qwen3moe.block_count"));
            assertError(
                    file + ": metadata key 'general.architecture' is a string, expected an integer",
                    () -> gguf.getInt("general.architecture"));
            assertError(
                    file + ": metadata key 'test.u32' is 4000000000, outside the int range",
                    () -> gguf.getInt("test.u32"));
            assertError(
                    file + ": metadata key 'test.u8' is an integer, expected a string",
                    () -> gguf.getString("test.u8"));
            assertError(
                    file + ": metadata key 'test.strings' is an array, expected a bool",
                    () -> gguf.getBool("test.strings"));
            assertError(
                    file + ": metadata key 'test.f32' is a float, expected an array", () -> gguf.getArray("test.f32"));
            assertError(
                    file + ": metadata key 'test.string' is a string, expected a float",
                    () -> gguf.getFloat("test.string"));
            assertError(
                    file + ": metadata key 'test.u8s' is an array of integers, expected strings",
                    () -> gguf.getStringArray("test.u8s"));
            assertError(
                    file + ": metadata key 'test.i32s' has 3 values, expected 4",
                    () -> gguf.getIntPerLayer("test.i32s", 4));
            assertError(
                    file + ": tensor 'blocks.IQ2_XXS' missing (the file has 16 tensors)",
                    () -> gguf.tensor("blocks.IQ2_XXS"));
        }
    }

    @Test
    void readsVersion2WithCustomAlignment() throws Exception {
        try (GgufFile gguf = GgufFile.open(resource("v2.gguf"))) {
            assertEquals(2, gguf.version());
            assertEquals(64, gguf.alignment());
            assertEquals("v2test", gguf.getString("general.architecture"));
            assertEquals(List.of(1.5, -2.0), gguf.getArray("v2test.scales"));
            GgufTensor t = gguf.tensor("weight");
            assertArrayEquals(new long[] {8, 2}, t.dims());
            assertArrayEquals(new long[] {2, 8}, t.shape());
            assertEquals(GgmlType.F32, t.type());
            assertEquals(64 * ((t.fileOffset() + 63) / 64), t.fileOffset());
            float[] row = new float[8];
            QuantizedMatrix m = gguf.matrix("weight");
            m.dequantizeRow(1, row);
            assertArrayEquals(new float[] {4, 4.5f, 5, 5.5f, 6, 6.5f, 7, 7.5f}, row);
        }
    }

    @Test
    void splitModelIsOneTensorNamespace() throws Exception {
        try (GgufFile gguf = GgufFile.open(resource("split-00001-of-00003.gguf"))) {
            assertEquals(3, gguf.parts().size());
            assertEquals(List.of("a", "b", "c"), new ArrayList<>(gguf.tensors().keySet()));
            assertEquals(7, gguf.getInt("splittest.block_count"));
            assertEquals(resource("split-00002-of-00003.gguf"), gguf.tensor("b").file());
            float[] a = new float[2];
            gguf.matrix("a").dequantizeRow(2, a);
            assertArrayEquals(new float[] {2, 3}, a);
            float[] b = new float[32];
            gguf.matrix("b").dequantizeRow(1, b);
            for (int i = 0; i < 32; i++) {
                assertEquals((32 + i) / 8f, b[i], 7.875f / 127 / 2 + 1e-6f, "b[1][" + i + "] (Q8_0: half a step)");
            }
            float[] c = new float[4];
            gguf.matrix("c").dequantizeRow(0, c);
            assertArrayEquals(new float[] {1, -1, 0.5f, 65504}, c);
        }
    }

    @Test
    void splitPartsMustAllBeThere(@TempDir Path dir) throws Exception {
        Files.copy(resource("split-00001-of-00003.gguf"), dir.resolve("split-00001-of-00003.gguf"));
        Files.copy(resource("split-00003-of-00003.gguf"), dir.resolve("split-00003-of-00003.gguf"));
        Path first = dir.resolve("split-00001-of-00003.gguf");
        assertError(
                first + ": split part 2 of 3 is missing: expected split-00002-of-00003.gguf in the same directory",
                () -> GgufFile.open(first));
        Path third = resource("split-00003-of-00003.gguf");
        assertError(
                third + ": is part 3 of 3 of a split model: open split-00001-of-00003.gguf instead",
                () -> GgufFile.open(third));
        Path renamed = Files.copy(first, dir.resolve("model.gguf"));
        assertError(
                renamed + ": is part 1 of 3 of a split model, but its name does not follow the"
                        + " <name>-00001-of-00003.gguf pattern, so the other parts cannot be found",
                () -> GgufFile.open(renamed));
    }
}
