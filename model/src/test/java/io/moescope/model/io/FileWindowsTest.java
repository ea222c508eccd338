package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWindowsTest {

    @TempDir
    Path dir;

    @Test
    void everyRangeReadsTheFileBytesWhereverItFallsAgainstTheWindows() throws Exception {
        byte[] data = new byte[300_000];
        new SplittableRandom(7).nextBytes(data);
        Path f = dir.resolve("w.bin");
        Files.write(f, data);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            FileWindows w = new FileWindows(ch, 64 * 1024, 16 * 1024); // windows of 80 KiB every 64 KiB
            SplittableRandom rnd = new SplittableRandom(11);
            for (int i = 0; i < 2_000; i++) {
                int len = i % 10 == 0 ? 16 * 1024 + rnd.nextInt(50_000) : rnd.nextInt(16 * 1024 + 1); // some own maps
                int off = rnd.nextInt(data.length - len + 1);
                if (i < 8) { // ranges ending exactly at a window's reach and at the file's end
                    off = i < 4 ? 64 * 1024 * (i + 1) - 1 : data.length - len;
                    len = Math.min(len, data.length - off);
                }
                ByteBuffer b = w.map(off, len);
                assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
                assertEquals(len, b.remaining(), "range " + off + "+" + len);
                for (int k = 0; k < len; k += 1 + k % 97) {
                    assertEquals(data[off + k], b.get(k), "range " + off + "+" + len + ", byte " + k);
                }
                if (len > 0) {
                    assertEquals(data[off + len - 1], b.get(len - 1));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> w.map(data.length - 10, 11));
            assertThrows(IllegalArgumentException.class, () -> w.map(-1, 4));
            w.release();
            assertEquals(data[123], w.map(123, 1).get(0)); // maps again after a release
        }
    }
}
