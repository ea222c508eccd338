package io.moescope.model.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kernel path (decode, 4-token batches, tiled gemm, parallel split, segments) against a double-precision product. */
class MatrixKernelsTest {

    @ParameterizedTest(name = "{0}x{1}, {2} tokens")
    @CsvSource({"7,5,1", "33,17,1", "64,64,3", "130,70,5", "1030,300,1", "1030,300,2", "520,256,9", "2051,515,16",
            "96,2048,1", "96,2048,40"})
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
        List<MappedBf16Matrix.Segment> segs = new ArrayList<>();
        int[] cuts = {0, rows / 3, rows / 3 + rows / 4, rows};
        for (int k = 0; k < 3; k++) {
            int n = cuts[k + 1] - cuts[k];
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, 2 * n * cols)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n * cols; i++) {
                b.putShort(2 * i, bits[cuts[k] * cols + i]);
            }
            segs.add(new MappedBf16Matrix.Segment(b, cuts[k], n));
        }
        Matrix[] all = {new HeapMatrix(w.clone(), rows, cols), new MappedBf16Matrix(segs, cols),
                new NdMatrix(w.clone(), rows, cols)};
        for (Matrix m : all) {
            float[] y = new float[tokens * rows];
            m.apply(x, tokens, y);
            for (int i = 0; i < y.length; i++) {
                double tol = 1e-5 * Math.sqrt(cols) * 4 + 1e-5 * Math.abs(want[i]);
                assertTrue(Math.abs(y[i] - want[i]) <= tol, m.getClass().getSimpleName() + " [" + i + "] "
                        + y[i] + " vs " + want[i]);
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
