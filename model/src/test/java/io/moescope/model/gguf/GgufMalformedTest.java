package io.moescope.model.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made broken files (GgufBytes): each must fail with exactly one ModelLoadException line naming the file and
 * the problem; assertThrows also fails if anything else escapes (an OutOfMemoryError, a BufferUnderflowException).
 */
class GgufMalformedTest {

    @TempDir
    Path dir;

    private String error(GgufBytes bytes) {
        return error(bytes.write(dir, "bad.gguf"));
    }

    private static String error(Path file) {
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> GgufFile.open(file).close());
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith(file + ": "), message);
        return message.substring(file.toString().length() + 2);
    }

    /** A file with one key and one tensor info; the tensor data is as many zero bytes as its type needs. */
    private static GgufBytes oneTensor(int type, long offset, long... dims) {
        return GgufBytes.header(3, 1, 1)
                .kvString("general.architecture", "t")
                .tensorInfo("w", type, offset, dims)
                .pad(32)
                .zeros(4096);
    }

    @Test
    void theMinimalFileIsValid() throws Exception {
        try (GgufFile gguf = GgufFile.open(GgufBytes.minimal().write(dir, "ok.gguf"))) {
            float[] row = new float[4];
            gguf.matrix("w").dequantizeRow(1, row);
            assertEquals(Arrays.toString(new float[] {4, 5, 6, 7}), Arrays.toString(row));
        }
    }

    @Test
    void wrongMagicVersionOrByteOrder() {
        assertEquals(
                "not a GGUF file: starts with bytes 47 47 4D 4C, expected 'GGUF'",
                error(new GgufBytes().raw("GGML".getBytes()).u32(3).u64(0).u64(0)));
        assertEquals(
                "GGUF version 1 is obsolete and not supported (only versions 2 and 3)",
                error(GgufBytes.header(1, 0, 0)));
        assertEquals(
                "big-endian GGUF (version field reads 0x03000000); only little-endian files are supported",
                error(GgufBytes.header(0x03000000, 0, 0)));
        assertEquals("unsupported GGUF version 4 (only versions 2 and 3)", error(GgufBytes.header(4, 0, 0)));
    }

    @Test
    void emptyFileDirectoryAndMissingFile() throws Exception {
        assertEquals("empty file, not a GGUF model", error(Files.write(dir.resolve("empty.gguf"), new byte[0])));
        assertEquals("is a directory, not a GGUF file", error(Files.createDirectory(dir.resolve("model.gguf"))));
        assertEquals("file not found", error(dir.resolve("nothing.gguf")));
    }

    /** Cut the minimal file at every length: the header, metadata, tensor infos and data all end too early. */
    @Test
    void truncatedAnywhere() {
        byte[] full = GgufBytes.minimal().bytes();
        assertEquals(160, full.length); // header 24, key 41, tensor info 41, padding to 128, data 32
        for (int n = 0; n < full.length; n++) {
            String message = error(new GgufBytes().raw(Arrays.copyOf(full, n)));
            String expected = n == 0
                    ? "empty file"
                    : n < 24
                            ? "file ends inside the 24-byte header"
                            : n < 24 + 13 + 32
                                    ? "header claims 1 tensors and 1 metadata entries, which need at least 45 bytes"
                                    : n < 106
                                            ? "file ends inside the tensor info"
                                            : "tensor 'w' ends at byte 160 past the end";
            if (n == 73) { // the name's length is there, its one byte is not
                expected = "tensor name 1 at byte 65 claims 1 bytes, but only 0 are left in the file";
            }
            assertTrue(message.startsWith(expected), n + " bytes: " + message);
        }
        assertEquals(
                "file ends inside the 24-byte header (needs 8 more bytes at byte 8, file has 12)",
                error(new GgufBytes().raw(Arrays.copyOf(full, 12))));
        assertEquals(
                "file ends inside the tensor info of 'w' (needs 8 more bytes at byte 78, file has 80)",
                error(new GgufBytes().raw(Arrays.copyOf(full, 80))));
        assertEquals(
                "tensor 'w' ends at byte 160 past the end of the file (159 bytes)",
                error(new GgufBytes().raw(Arrays.copyOf(full, full.length - 1))));
        byte[] metadataOnly = GgufBytes.header(3, 0, 1)
                .kvString("general.architecture", "a longer value")
                .bytes();
        assertEquals(
                "file ends inside metadata key 'general.architecture' (needs 4 more bytes at byte 52, file has"
                        + " 54)",
                error(new GgufBytes().raw(Arrays.copyOf(metadataOnly, 54))));
        assertEquals(
                "string value of metadata key 'general.architecture' at byte 56 claims 14 bytes, but only 6 are"
                        + " left in the file",
                error(new GgufBytes().raw(Arrays.copyOf(metadataOnly, 70))));
    }

    @Test
    void hugeCounts() {
        assertEquals(
                "header claims 0 tensors and 1152921504606846976 metadata entries; at most 1048576 of each are"
                        + " accepted",
                error(GgufBytes.header(3, 0, 1L << 60).zeros(64)));
        assertEquals(
                "header claims 1152921504606846976 tensors and 0 metadata entries; at most 1048576 of each are"
                        + " accepted",
                error(GgufBytes.header(3, 1L << 60, 0).zeros(64)));
        assertEquals(
                "tensor_count 18446744073709551615 is not a sane count (≥ 2^63)", error(GgufBytes.header(3, -1, 0)));
        assertEquals(
                "header claims 10 tensors and 1000 metadata entries, which need at least 13320 bytes, but only"
                        + " 64 follow the header",
                error(GgufBytes.header(3, 10, 1000).zeros(64)));
    }

    @Test
    void stringsAndArraysLongerThanTheFile() {
        assertEquals(
                "metadata key 1 at byte 24 claims 1000000 bytes, but only 20 are left in the file",
                error(GgufBytes.header(3, 0, 1).u64(1_000_000).zeros(20)));
        assertEquals(
                "string value of metadata key 'k' at byte 37 claims 4294967296 bytes, but only 0 are left in"
                        + " the file",
                error(GgufBytes.header(3, 0, 1).str("k").u32(8).u64(1L << 32)));
        assertEquals(
                "metadata key 'tokens' is an array of 1099511627776 uint8 values, more than the 32 bytes left"
                        + " in the file can hold",
                error(GgufBytes.header(3, 0, 1)
                        .str("tokens")
                        .u32(9)
                        .u32(0)
                        .u64(1L << 40)
                        .zeros(32)));
        assertEquals(
                "metadata key 'tokens' is an array of 100 string values, more than the 400 bytes left in the"
                        + " file can hold",
                error(GgufBytes.header(3, 0, 1)
                        .str("tokens")
                        .u32(9)
                        .u32(8)
                        .u64(100)
                        .zeros(400)));
        assertEquals(
                "metadata key 'x' is an array of unknown value type 13",
                error(GgufBytes.header(3, 0, 1).str("x").u32(9).u32(13).u64(1).zeros(8)));
        assertEquals(
                "metadata key 'x' has unknown value type 99",
                error(GgufBytes.header(3, 0, 1).str("x").u32(99)));
        assertEquals(
                "metadata key 'big' holds uint64 18446744073709551615, above the largest supported value" + " 2^63 − 1",
                error(GgufBytes.header(3, 0, 1).str("big").u32(10).u64(-1)));
        GgufBytes deep = GgufBytes.header(3, 0, 1).str("deep").u32(9);
        for (int i = 0; i < 5; i++) {
            deep.u32(9).u64(1);
        }
        assertEquals(
                "metadata key 'deep' nests arrays more than 4 deep",
                error(deep.u32(0).u64(1).u8(0)));
    }

    @Test
    void emptyArraysAreLegal() throws Exception {
        Path file = GgufBytes.header(3, 0, 1).str("none").u32(9).u32(8).u64(0).write(dir, "empty-array.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(java.util.List.of(), gguf.getArray("none"));
        }
    }

    @Test
    void duplicates() {
        assertEquals(
                "metadata key 'k' appears twice",
                error(GgufBytes.header(3, 0, 2).kvU32("k", 1).kvU32("k", 2)));
        assertEquals(
                "tensor 'w' appears twice",
                error(GgufBytes.header(3, 2, 0)
                        .tensorInfo("w", 0, 0, 8)
                        .tensorInfo("w", 0, 32, 8)
                        .pad(32)
                        .zeros(64)));
    }

    @Test
    void badTensorInfos() {
        assertEquals("tensor 'w' has unknown ggml type id 99", error(oneTensor(99, 0, 32)));
        assertEquals("tensor 'w' has unknown ggml type id 4", error(oneTensor(4, 0, 32)));
        assertEquals("tensor 'w' has data offset 4, not a multiple of the alignment 32", error(oneTensor(0, 4, 8)));
        assertEquals("tensor 'w' has 5 dimensions; at most 4 are allowed", error(oneTensor(0, 0, 1, 1, 1, 1, 1)));
        assertEquals(
                "tensor 'w' has dimension ne[1] = 0; dimensions must be 1 to 2^63 − 1", error(oneTensor(0, 0, 8, 0)));
        assertEquals(
                "tensor 'w' has dimension ne[0] = 18446744073709551615; dimensions must be 1 to 2^63 − 1",
                error(oneTensor(0, 0, -1)));
        assertEquals(
                "tensor 'w' has dimensions [4294967296, 4294967296] whose element count overflows 64 bits",
                error(oneTensor(0, 0, 1L << 32, 1L << 32)));
        assertEquals(
                "tensor 'w' is Q8_0 with rows of 16 elements, not a multiple of its block size 32",
                error(oneTensor(8, 0, 16)));
        assertEquals(
                "tensor 'w' ends at byte 4194432 past the end of the file (4224 bytes)",
                error(oneTensor(0, 0, 1024, 1024)));
        assertEquals(
                "tensor 'w' ends at byte 2^63 or beyond past the end of the file (4224 bytes)",
                error(oneTensor(0, Long.MAX_VALUE / 32 * 32, 8)));
        assertEquals(
                "tensor 1 has a name of 64 characters; names must be 1 to 63 bytes",
                error(GgufBytes.header(3, 1, 0)
                        .tensorInfo("x".repeat(64), 0, 0, 8)
                        .pad(32)
                        .zeros(32)));
        assertEquals(
                "tensors 'a' and 'b' overlap (bytes 96+64 and 128)",
                error(GgufBytes.header(3, 2, 0)
                        .tensorInfo("a", 0, 0, 16)
                        .tensorInfo("b", 0, 32, 16)
                        .pad(32)
                        .zeros(128)));
        assertEquals(
                "general.alignment must be a power of two integer up to 2^30, not 24",
                error(GgufBytes.header(3, 0, 1).kvU32("general.alignment", 24)));
    }

    @Test
    void knownButUnsupportedTypeIsNamedWhenDecoded() throws Exception {
        Path file = oneTensor(GgmlType.IQ2_XXS.id(), 0, 256, 2).write(dir, "iq2.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(GgmlType.IQ2_XXS, gguf.tensor("w").type());
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> gguf.matrix("w"));
            assertEquals(
                    file + ": tensor 'w' is IQ2_XXS, which MoE Scope cannot decode (supported: F32, F16, Q4_0,"
                            + " Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, BF16, MXFP4)",
                    e.getMessage());
        }
    }
}
