package io.moescope.model.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2.5 GiB tensor in a sparse file (only a few pages are ever written): rows on both sides of the 1 GiB mapping
 * chunks and the very last row read back, so no offset is truncated to 32 bits.
 */
class LargeFileTest {

    private static final int COLS = 1024; // 4 KiB per F32 row
    private static final long ROWS = 640L * 1024; // 2.5 GiB
    private static final long CHUNK_ROWS = (1L << 30) / (COLS * 4);

    @Test
    void tensorsBeyond2GiBAreReadInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("large.gguf");
        byte[] header = GgufBytes.header(3, 1, 0)
                .tensorInfo("big", 0, 0, COLS, ROWS)
                .pad(32)
                .bytes();
        long dataStart = header.length;
        long[] marked = {0, CHUNK_ROWS - 1, CHUNK_ROWS, 2 * CHUNK_ROWS + 7, ROWS - 1};
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(dataStart + ROWS * COLS * 4);
            for (long row : marked) {
                raf.seek(dataStart + row * COLS * 4);
                raf.write(row(row).array());
            }
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            QuantizedMatrix m = gguf.matrix("big");
            assertEquals(ROWS, m.rows());
            float[] out = new float[COLS];
            float[] ones = new float[COLS];
            Arrays.fill(ones, 1f);
            for (long row : marked) {
                m.dequantizeRow(row, out);
                assertEquals(row, out[0], "row " + row + " first value");
                assertEquals(-row, out[COLS - 1], "row " + row + " last value");
                assertEquals(0f, m.dot(row, ones), "row " + row + " sums to zero");
            }
            m.dequantizeRow(CHUNK_ROWS + 1, out);
            assertEquals(0f, out[0]);
            GgufTensor t = gguf.tensor("big");
            assertThrows(IllegalArgumentException.class, () -> gguf.map(t, 0, t.byteSize()));
        }
    }

    /** Row r: r, 0, ..., 0, −r. */
    private static ByteBuffer row(long r) {
        ByteBuffer b = ByteBuffer.allocate(COLS * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(0, r);
        b.putFloat((COLS - 1) * 4, -r);
        return b;
    }
}
