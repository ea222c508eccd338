package io.moescope.model.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported type against gguf-py's numpy dequantiser (tools/reference/make_gguf_fixtures.py): blocks.gguf holds
 * "blocks.TYPE" [4 rows, 256 cols], expected/TYPE.f32 the float32 values numpy produced. Compared bit for bit.
 */
class DequantizeGoldenTest {

    private static GgufFile gguf;

    static Path resource(String name) {
        try {
            return Path.of(
                    DequantizeGoldenTest.class.getResource("/gguf/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void open() throws ModelLoadException {
        gguf = GgufFile.open(resource("blocks.gguf"));
    }

    @AfterAll
    static void close() {
        gguf.close();
    }

    static Stream<GgmlType> supported() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported);
    }

    private static float[] expected(GgmlType type) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(resource("expected/" + type + ".f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static float[] decodeAll(QuantizedMatrix m) {
        float[] out = new float[(int) m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRow(r, out, r * m.cols());
        }
        return out;
    }

    private static void assertBitExact(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " (row " + i / 256 + ", col " + i % 256 + ") is " + actual[i]
                        + String.format(" (0x%08X)", Float.floatToRawIntBits(actual[i])) + ", gguf-py gives "
                        + expected[i] + String.format(" (0x%08X)", Float.floatToRawIntBits(expected[i])));
            }
        }
    }

    @Test
    void fixtureHasOneTensorPerSupportedType() {
        List<String> expected = supported().map(t -> "blocks." + t).sorted().collect(Collectors.toList());
        List<String> actual = gguf.tensors().keySet().stream().sorted().collect(Collectors.toList());
        assertEquals(expected, actual);
        assertEquals(16, expected.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void dequantisesBitExactlyLikeGgufPy(GgmlType type) throws Exception {
        QuantizedMatrix m = gguf.matrix("blocks." + type);
        assertEquals(type, m.type());
        assertEquals(4, m.rows());
        assertEquals(256, m.cols());
        assertBitExact(expected(type), decodeAll(m), type.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void oneRowPerMappedChunkDecodesTheSame(GgmlType type) throws Exception {
        GgufTensor t = gguf.tensor("blocks." + type);
        QuantizedMatrix chunked = MappedMatrix.of(gguf, t, t.rowBytes());
        assertTrue(chunked.toString().endsWith("(4 mapped chunks)"), chunked.toString());
        assertEquals(0, chunked.rowOffset(3));
        assertBitExact(expected(type), decodeAll(chunked), type + " in 1-row chunks");
    }

    /** dot(row, x) equals decoding then multiplying, to 1e-6 of Σ|w·x|, on every row whose values are finite. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void dotMatchesDequantiseThenDot(GgmlType type) throws Exception {
        QuantizedMatrix m = gguf.matrix("blocks." + type);
        float[] w = expected(type);
        Random random = new Random(type.id());
        float[] x = new float[m.cols()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int checked = 0;
        for (int r = 0; r < m.rows(); r++) {
            double ref = 0;
            double magnitude = 0;
            boolean finite = true;
            for (int c = 0; c < m.cols(); c++) {
                double p = (double) w[r * m.cols() + c] * x[c];
                finite &= Double.isFinite(p);
                ref += p;
                magnitude += Math.abs(p);
            }
            if (!finite) {
                continue;
            }
            float dot = m.dot(r, x);
            assertTrue(
                    Math.abs(dot - ref) <= 1e-6 * magnitude + Float.MIN_NORMAL,
                    type + " row " + r + ": dot " + dot + " vs " + ref + " (Σ|w·x| " + magnitude + ")");
            checked++;
        }
        assertTrue(checked >= 2, type + ": only " + checked + " finite rows");
    }
}
