package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void halfConversionRoundsToNearestEven() {
        assertEquals(0x3C00, Half.fromFloat(1f) & 0xFFFF);
        assertEquals(0xC000, Half.fromFloat(-2f) & 0xFFFF);
        assertEquals(0x7BFF, Half.fromFloat(65504f) & 0xFFFF);
        assertEquals(0x7C00, Half.fromFloat(1e6f) & 0xFFFF);
        assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x3C00, Half.fromFloat(1f + 0x1p-11f) & 0xFFFF, "tie rounds to even (down)");
        assertEquals(0x3C02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xFFFF, "tie rounds to even (up)");
        for (float f : new float[] {0.1f, -0.02f, 3.14159f, 1e-5f, 6e-8f}) {
            float back = Half.toFloat(Half.fromFloat(f));
            assertEquals(f, back, Math.abs(f) * 1e-3 + 6e-8, "round trip of " + f);
        }
    }

    @Test
    void writesAlignedHeaderAndReadsBack() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        float[] a = {1f, -0.5f, 0.25f, 2f, 0f, 7f};
        float[] b = {0.123456789f, -3f, 1e-7f};
        Safetensors.write(f, List.of(new Safetensors.Entry("w", new long[] {2, 3}, a, false),
                new Safetensors.Entry("bias", new long[] {3}, b, true)));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8, "data section is 8-byte aligned");
        assertEquals(8 + n + 6 * 2 + 3 * 4, bytes.length);
        Map<String, float[]> r = Safetensors.read(f);
        assertArrayEquals(a, r.get("w"));
        assertArrayEquals(b, r.get("bias"));
    }
}
