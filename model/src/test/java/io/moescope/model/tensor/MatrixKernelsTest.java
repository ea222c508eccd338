package io.moescope.model.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kernel path (decode, 4-token batches, tiled gemm, parallel split, segments) against a double-precision product. */
class MatrixKernelsTest {

    @Test
    void everyHalfAndBf16BitPatternWidensExactly() {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) {
            b.putShort(2 * i, (short) i);
        }
        float[] half = new float[65536];
        float[] bf = new float[65536];
        VectorKernels.widenTo(b, true, 0, half, 0, 65536);
        VectorKernels.widenTo(b, false, 0, bf, 0, 65536);
        for (int i = 0; i < 65536; i++) {
            float wantHalf = FloatDecoder.f16((short) i);
            float wantBf = FloatDecoder.bf16((short) i);
            assertTrue(
                    Float.floatToIntBits(half[i]) == Float.floatToIntBits(wantHalf)
                            || (Float.isNaN(half[i]) && Float.isNaN(wantHalf)),
                    "f16 " + Integer.toHexString(i));
            assertTrue(
                    Float.floatToIntBits(bf[i]) == Float.floatToIntBits(wantBf)
                            || (Float.isNaN(bf[i]) && Float.isNaN(wantBf)),
                    "bf16 " + Integer.toHexString(i));
        }
    }

    @ParameterizedTest(name = "{0}x{1}, {2} tokens")
    @CsvSource({
        "7,5,1",
        "33,17,1",
        "64,64,3",
        "130,70,5",
        "1030,300,1",
        "1030,300,2",
        "520,256,9",
        "2051,515,16",
        "96,2048,1",
        "96,2048,40",
        "520,1061,1",
        "600,1030,1"
    }) // the last two are over MappedHalfMatrix.STREAM_BYTES: streamed row by row
    void allPathsAgreeWithDoublePrecision(int rows, int cols, int tokens) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + cols * 7L + tokens);
        float[] w = new float[rows * cols];
        short[] bits = new short[rows * cols];
        for (int i = 0; i < w.length; i++) {
            bits[i] = FloatDecoder.toBf16((float) rnd.nextGaussian());
            w[i] = FloatDecoder.bf16(bits[i]); // exactly representable in BF16, so both matrices hold the same values
        }
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        double[] want = new double[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += (double) w[r * cols + c] * x[t * cols + c];
                }
                want[t * rows + r] = s;
            }
        }
        // BF16 in three uneven segments, as stacked q|k|v would be
        List<MappedHalfMatrix.Segment> segs = new ArrayList<>();
        int[] cuts = {0, rows / 3, rows / 3 + rows / 4, rows};
        for (int k = 0; k < 3; k++) {
            int n = cuts[k + 1] - cuts[k];
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, 2 * n * cols)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n * cols; i++) {
                b.putShort(2 * i, bits[cuts[k] * cols + i]);
            }
            segs.add(new MappedHalfMatrix.Segment(b, cuts[k], n));
        }
        // the same values as IEEE half where exactly representable (small integers / 8): a second 16-bit format
        float[] wh = new float[rows * cols];
        ByteBuffer hb = ByteBuffer.allocateDirect(Math.max(1, 2 * rows * cols)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < wh.length; i++) {
            short h = (short) (0x3000 + (i * 37 % 0x1000) | (i % 3 == 0 ? 0x8000 : 0)); // normals near 0.1..0.5
            hb.putShort(2 * i, h);
            wh[i] = FloatDecoder.f16(h);
        }
        float[] yh = new float[tokens * rows];
        new MappedHalfMatrix(List.of(new MappedHalfMatrix.Segment(hb, 0, rows)), cols, true).apply(x, tokens, yh);
        float[] yhRef = new float[tokens * rows];
        new HeapMatrix(wh, rows, cols).apply(x, tokens, yhRef);
        for (int i = 0; i < yh.length; i++) {
            assertTrue(Math.abs(yh[i] - yhRef[i]) <= 1e-4 * (1 + Math.abs(yhRef[i])), "f16 [" + i + "]");
        }
        Matrix[] all = {
            new HeapMatrix(w.clone(), rows, cols), new MappedHalfMatrix(segs, cols), new NdMatrix(w.clone(), rows, cols)
        };
        for (Matrix m : all) {
            float[] y = new float[tokens * rows];
            m.apply(x, tokens, y);
            for (int i = 0; i < y.length; i++) {
                double tol = 1e-5 * Math.sqrt(cols) * 4 + 1e-5 * Math.abs(want[i]);
                assertTrue(
                        Math.abs(y[i] - want[i]) <= tol,
                        m.getClass().getSimpleName() + " [" + i + "] " + y[i] + " vs " + want[i]);
            }
        }
        RowTable table = RowTable.bf16(segs.get(0).buf(), cuts[1], cols);
        float[] row = new float[cols];
        if (cuts[1] > 0) {
            table.copyRow(cuts[1] - 1, row, 0);
            for (int c = 0; c < cols; c++) {
                assertTrue(row[c] == w[(cuts[1] - 1) * cols + c]);
            }
        }
    }
}
