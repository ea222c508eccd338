package io.moescope.model.ggufmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Gated DeltaNet GGUF forms refuse hyper-parameters that contradict each other or the tensors with one line
 * naming the file: a copy of qwen3_5_moe.f32.gguf with one uint32 metadata value rewritten in place.
 */
class GgufHybridBadInputTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "qwen35moe.ssm.inner_size, 30, 'is not a multiple of ''qwen35moe.ssm.time_step_rank'' 4'",
        "qwen35moe.ssm.state_size, 6, blk.0.attn_qkv.weight",
        "qwen35moe.rope.dimension_count, 3, partial_rotary_factor"
    })
    void contradictionsAreOneLineNamingTheFile(String key, int value, String problem) throws Exception {
        Path file = tmp.resolve("bad.gguf");
        Files.write(file, withUint32(Files.readAllBytes(GgufRuns.MODELS.resolve("qwen3_5_moe.f32.gguf")), key, value));
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> MoeModel.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    /** The file with the uint32 value of {@code key} (length-prefixed key, type 4, value) replaced. */
    private static byte[] withUint32(byte[] gguf, String key, int value) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(gguf).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 8 + name.length + 8 <= gguf.length; at++) {
            if (b.getLong(at) == name.length && matches(gguf, at + 8, name)) {
                int type = at + 8 + name.length;
                assertEquals(4, b.getInt(type), key + " is not a uint32");
                b.putInt(type + 4, value);
                return gguf;
            }
        }
        throw new AssertionError(key + " not in the file");
    }

    private static boolean matches(byte[] data, int from, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (data[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
