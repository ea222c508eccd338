package io.moescope.model.recording.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TorchFileTest {

    static Path file(String name) {
        try {
            return Path.of(TorchFileTest.class.getResource("/recording/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyTensorOfTheEdgeCaseFileReadsAsTorchReadsIt() throws Exception {
        JsonNode expected =
                new ObjectMapper().readTree(file("edge_cases.expected.json").toFile());
        try (TorchFile t = TorchFile.open(file("edge_cases.pt"), PickleLimits.DEFAULT)) {
            Map<?, ?> root = (Map<?, ?>) t.root();
            int tensors = 0;
            for (var it = expected.fields(); it.hasNext(); ) {
                var e = it.next();
                Tensor x = (Tensor) root.get(e.getKey());
                long[] shape = new long[e.getValue().get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.getValue().get("shape").get(i).asLong();
                }
                assertArrayEquals(shape, x.shape(), e.getKey());
                double[] values = x.toDoubles();
                JsonNode v = e.getValue().get("values");
                assertEquals(v.size(), values.length, e.getKey());
                for (int i = 0; i < values.length; i++) {
                    assertEquals(
                            v.get(i).asDouble(),
                            values[i],
                            Math.abs(v.get(i).asDouble()) * 1e-6,
                            e.getKey() + "[" + i + "]");
                }
                tensors++;
            }
            assertEquals(13, tensors);
            assertTrue(
                    ((Tensor) root.get("shared_a")).storage() == ((Tensor) root.get("shared_b")).storage(),
                    "one storage behind both views");
            assertEquals(ElementType.UINT16, ((Tensor) root.get("u16")).type());
            assertEquals(
                    new PyBytes(new byte[] {0, 1, (byte) 0xff, 'r', 'o', 'u', 't', 'i', 'n', 'g'}), root.get("bytes"));
            assertEquals(BigInteger.TWO.pow(70).add(BigInteger.valueOf(5)), root.get("big"));
            assertEquals(-123456789012L, root.get("neg"));
            assertEquals(0.1, root.get("float"));
            Map<?, ?> nested = (Map<?, ?>) root.get("nested");
            assertEquals(PyTuple.of(1L, "x", null, true), nested.get("t"));
            assertEquals(Set.of(3L), nested.get("s"));
            assertEquals(1L, ((Tensor) root.get("transposed")).read().longAt(0, 1) / 6);
        }
    }

    @Test
    void bulkIntegerReadsEqualElementReads() throws Exception {
        try (TorchFile t = TorchFile.open(file("edge_cases.pt"), PickleLimits.DEFAULT)) {
            int checked = 0;
            for (Object o : ((Map<?, ?>) t.root()).values()) {
                if (!(o instanceof Tensor x) || !x.type().isIntegral()) {
                    continue;
                }
                double[] each = x.toDoubles();
                long[] longs = x.toLongs();
                for (int i = 0; i < each.length; i++) {
                    assertEquals(each[i], (double) longs[i], x + "[" + i + "]");
                }
                if (x.type().size <= 4 && x.type() != ElementType.UINT32) {
                    int[] ints = x.toInts();
                    for (int i = 0; i < each.length; i++) {
                        assertEquals(longs[i], ints[i], x + "[" + i + "]");
                    }
                    checked++;
                }
            }
            assertTrue(checked >= 3, checked + " tensors read as ints");
            Tensor f = (Tensor) ((Map<?, ?>) t.root())
                    .values().stream()
                            .filter(o -> o instanceof Tensor x && !x.type().isIntegral())
                            .findFirst()
                            .orElseThrow();
            PickleException e = assertThrows(PickleException.class, f::toInts);
            assertTrue(e.getMessage().startsWith("expected a tensor of at most 32-bit integers"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "reject_global.pt, __builtin__.print",
        "reject_os_system.pt, posix.system",
        "reject_eval.pkl, builtins.eval",
        "reject_popen.pkl, commands.Popen" /* pickle's Python 2 name for subprocess */,
        "reject_getattr.pkl, __builtin__.getattr",
        "reject_nested.pt, posix.getcwd",
    })
    void everyGlobalOutsideTheWhitelistIsRefusedByName(String name, String global) throws Exception {
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> TorchFile.open(file(name), PickleLimits.DEFAULT));
        assertTrue(e.getMessage().contains("refused global " + global), e.getMessage());
        assertTrue(e.getMessage().startsWith(file(name).toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(Path.of("/tmp/moescope-pwned")), "nothing was executed");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bad_opcode.pkl | unsupported pickle opcode 0x49",
                "bad_ext.pkl | unsupported pickle opcode 0x82",
                "not_torch.zip | not a torch.save file",
                "missing_storage.pt | storage 7 is missing from the archive",
                "shape_mismatch.pt | reaches element 19 but storage 0 holds 6",
                "storage_size_mismatch.pt | declares 9 int32 elements but its entry has 24 bytes",
                "truncated.npy | truncated or padded .npy data",
            })
    void badFilesFailWithOneLine(String name, String problem) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> {
            if (name.endsWith(".npy")) {
                Npy.read(file(name), PickleLimits.DEFAULT);
            } else {
                TorchFile.open(file(name), PickleLimits.DEFAULT).close();
            }
        });
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void limitsHoldBeforeAllocation() {
        PickleLimits l = PickleLimits.DEFAULT;
        // BINUNICODE claiming 2 GiB with 3 bytes left
        assertRefused(new byte[] {(byte) 0x80, 2, 'X', 0, 0, 0, (byte) 0x80, 'a', 'b', 'c'}, l, "truncated");
        // LONG4 of 1000 bytes
        assertRefused(new byte[] {(byte) 0x80, 2, (byte) 0x8B, (byte) 0xE8, 3, 0, 0}, l, "integer of 1000 bytes");
        // MARK nesting beyond the limit
        byte[] marks = new byte[2 + 1001];
        marks[0] = (byte) 0x80;
        marks[1] = 2;
        java.util.Arrays.fill(marks, 2, marks.length, (byte) '(');
        assertRefused(marks, l, "MARK nesting deeper than 1000");
        // memo read of an unwritten slot, pickle without STOP, unhashable key, protocol 6
        assertRefused(new byte[] {(byte) 0x80, 2, 'h', 5, '.'}, l, "never written");
        assertRefused(new byte[] {(byte) 0x80, 2, 'N'}, l, "no STOP");
        assertRefused(new byte[] {(byte) 0x80, 2, '}', ']', 'N', 's', '.'}, l, "unhashable");
        assertRefused(new byte[] {(byte) 0x80, 6, 'N', '.'}, l, "protocol 6");
        // a persistent id in a bare pickle
        assertRefused(new byte[] {(byte) 0x80, 2, 'N', 'Q', '.'}, l, "persistent id outside a torch archive");
    }

    @Test
    void npyHeadersAreParsedNotEvaluated() throws Exception {
        byte[] header = "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }".getBytes();
        byte[] pad = new byte[128 - 10 - header.length];
        java.util.Arrays.fill(pad, (byte) ' ');
        pad[pad.length - 1] = '\n';
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (header.length + pad.length), 0});
        b.write(header);
        b.write(pad);
        for (int v : new int[] {1, 4, 2, 5, 3, 6}) { // Fortran order of [[1,2,3],[4,5,6]]
            b.write(v);
            b.write(0);
        }
        Tensor t = Npy.parse(b.toByteArray(), "f.npy", PickleLimits.DEFAULT);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, t.toLongs());
        byte[] evil = b.toByteArray();
        byte[] code = "__import__('os')".getBytes();
        System.arraycopy(code, 0, evil, 10 + 10, code.length);
        PickleException e =
                assertThrows(PickleException.class, () -> Npy.parse(evil, "evil.npy", PickleLimits.DEFAULT));
        assertTrue(e.getMessage().contains("numpy header"), e.getMessage());
    }

    @Test
    void storageBudgetCountsEachKeyOnce() throws Exception {
        // edge_cases.pt: shared_a/shared_b/transposed share one 192-byte storage
        try (TorchFile t = TorchFile.open(file("edge_cases.pt"), PickleLimits.DEFAULT.withStorageBytes(1024))) {
            assertEquals(
                    List.of(4L, 6L),
                    java.util.Arrays.stream(((Tensor) ((Map<?, ?>) t.root()).get("shared_a")).shape())
                            .boxed()
                            .toList());
        }
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> TorchFile.open(file("edge_cases.pt"), PickleLimits.DEFAULT.withStorageBytes(100)));
        assertTrue(e.getMessage().contains("storages exceed 100 bytes"), e.getMessage());
    }

    private static void assertRefused(byte[] pickle, PickleLimits l, String problem) {
        PickleException e = assertThrows(PickleException.class, () -> Unpickler.load(pickle, l, null));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
