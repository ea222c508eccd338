package io.moescope.model.gguf;

import static io.moescope.model.gguf.DequantizeGoldenTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The type table equals gguf-py's GGML_QUANT_SIZES (ggml_types.tsv), every id and geometry, no more, no fewer, with
 * one deliberate exception: gguf-py still gives Q8_1 (a runtime-only activation type, never stored in files) its old
 * 40-byte size with f32 d and s; ggml's block_q8_1 has been two halves + 32 quants = 36 bytes for years.
 */
class GgmlTypeTest {

    @Test
    void sameTypesAsGgufPy() throws Exception {
        List<String> expected = new ArrayList<>(Files.readAllLines(resource("ggml_types.tsv")));
        assertEquals(expected.set(GgmlType.Q8_1.ordinal(), "Q8_1\t9\t32\t36"), "Q8_1\t9\t32\t40");
        List<String> actual = new ArrayList<>();
        for (GgmlType t : GgmlType.values()) {
            actual.add(t + "\t" + t.id() + "\t" + t.blockSize() + "\t" + t.typeSize());
            assertEquals(t, GgmlType.byId(t.id()));
            if (t.supported()) {
                assertEquals(t, BlockDecoder.of(t).type(), "decoder of " + t);
            } else {
                assertThrows(IllegalArgumentException.class, () -> BlockDecoder.of(t), t.toString());
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void removedAndUnknownIdsAreNull() {
        for (int id : new int[] {-1, 4, 5, 31, 32, 33, 36, 37, 38, 42, 63, 64, 1000}) {
            assertNull(GgmlType.byId(id), "id " + id);
        }
    }

    @Test
    void rowBytes() {
        assertEquals(7168 / 256 * 144, GgmlType.Q4_K.rowBytes(7168));
        assertEquals(1408 / 32 * 22, GgmlType.Q5_0.rowBytes(1408));
        assertEquals(4096 * 2, GgmlType.BF16.rowBytes(4096));
    }
}
