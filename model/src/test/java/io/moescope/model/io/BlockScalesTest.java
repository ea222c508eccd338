package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moescope.model.BrokenInputs;
import io.moescope.model.Fp8Fixtures;
import io.moescope.model.Fp8Fixtures.Raw;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FP8 block scales with blocks other than 128×128, on weights small enough to check by hand. */
class BlockScalesTest {

    private static final byte ONE = 0x38; // e4m3: exponent 7 (bias 7), mantissa 0 → 1.0
    private static final byte TWO = 0x40; // exponent 8 → 2.0

    @TempDir
    Path tmp;

    /** fp8 value of weight element (i, j): 1 on even i + j, 2 on odd. */
    private static byte fp8(int i, int j) {
        return (i + j) % 2 == 0 ? ONE : TWO;
    }

    /** [matrices, out, in] FP8 weight "w.weight"; scales[m][r][c] = 100m + 10r + c + 1. */
    private Path write(int matrices, int out, int in, long[] scaleShape) throws Exception {
        byte[] w = new byte[matrices * out * in];
        for (int m = 0; m < matrices; m++) {
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[(m * out + i) * in + j] = fp8(i, j);
                }
            }
        }
        int n = 1;
        for (long d : scaleShape) {
            n *= (int) d;
        }
        float[] s = new float[n];
        int rows = (int) scaleShape[scaleShape.length - 2];
        int cols = (int) scaleShape[scaleShape.length - 1];
        for (int k = 0; k < n; k++) {
            s[k] = 100 * (k / (rows * cols)) + 10 * (k / cols % rows) + k % cols + 1;
        }
        Map<String, Raw> t = new LinkedHashMap<>();
        t.put("w.weight", new Raw("F8_E4M3", matrices == 1 ? new long[] {out, in} : new long[] {matrices, out, in}, w));
        t.put("w.weight_scale_inv", Raw.f32(scaleShape, s));
        Path dir = tmp.resolve("m" + matrices + "x" + scaleShape.length + "x" + n);
        java.nio.file.Files.createDirectories(dir);
        Fp8Fixtures.write(dir.resolve("model.safetensors"), t);
        return dir;
    }

    @Test
    void twoByThreeBlocksOnAFiveBySevenWeight() throws Exception {
        // 5 rows in blocks of 2 → 3 block rows (the last one partial); 7 cols in blocks of 3 → 3 block cols.
        Path dir = write(1, 5, 7, new long[] {3, 3});
        try (WeightStore s = WeightStore.open(dir, new WeightBlockSize(2, 3))) {
            float[] w = s.readFloats("w.weight");
            assertEquals(1f, w[0]); // (0,0): 1 × scale[0][0] = 1
            assertEquals(2f, w[1]); // (0,1): 2 × scale[0][0]
            assertEquals(2 * 2f, w[3]); // (0,3): odd → 2 × scale[0][1] = 2
            assertEquals(2 * 12f, w[3 * 7 + 4]); // (3,4): 2 × scale[1][1] = 24
            assertEquals(23f, w[4 * 7 + 6]); // (4,6): 1 × scale[2][2], the partial corner block
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 7; j++) {
                    float v = (i + j) % 2 == 0 ? 1 : 2;
                    assertEquals(v * (10 * (i / 2) + j / 3 + 1), w[i * 7 + j], "(" + i + "," + j + ")");
                }
            }
            float[] rows = new float[3 * 7]; // rows 1..3 straddle the first block boundary
            s.readRows(s.info("w.weight"), 1, 3, rows, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(w, 7, 28), rows);
        }
    }

    @Test
    void threeDimensionalWeightHasOneScaleGridPerMatrix() throws Exception {
        Path dir = write(2, 5, 7, new long[] {2, 3, 3});
        try (WeightStore s = WeightStore.open(dir, new WeightBlockSize(2, 3))) {
            float[] w = s.readFloats("w.weight");
            assertEquals(101f, w[5 * 7]); // matrix 1, (0,0): 1 × scale[1][0][0] = 101
            assertEquals(2 * 122f, w[5 * 7 + 4 * 7 + 5]); // matrix 1, (4,5): 2 × scale[1][2][1] = 2 × 122
            for (int m = 0; m < 2; m++) {
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 7; j++) {
                        float v = (i + j) % 2 == 0 ? 1 : 2;
                        assertEquals(v * (100 * m + 10 * (i / 2) + j / 3 + 1), w[(m * 5 + i) * 7 + j]);
                    }
                }
            }
            float[] rows = new float[3 * 7]; // rows 4..6 of the [10, 7] view: last row of matrix 0, two of matrix 1
            s.readRows(s.info("w.weight"), 4, 3, rows, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(w, 4 * 7, 7 * 7), rows);
        }
    }

    @Test
    void scalesOfTheWrongGridAreAOneLineErrorNamingFileTensorAndBlock() throws Exception {
        Path dir = write(1, 5, 7, new long[] {1, 1}); // the 128×128 grid of a 5×7 weight
        try (WeightStore s = WeightStore.open(dir, new WeightBlockSize(2, 3))) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> s.readFloats("w.weight"));
            BrokenInputs.assertMessage(
                    e.getMessage(),
                    "model.safetensors: ",
                    "'w.weight_scale_inv'",
                    "[1, 1]",
                    "[5, 7] weight in 2×3 blocks",
                    "weight_block_size [2, 3]",
                    "needs [3, 3]");
        }
        try (WeightStore s = WeightStore.open(dir)) {
            assertEquals(WeightBlockSize.DEFAULT, s.fp8Block());
            assertEquals(1f, s.readFloats("w.weight")[0], "128×128 by default: one block");
        }
    }
}
