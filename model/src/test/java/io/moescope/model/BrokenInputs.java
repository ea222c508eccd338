package io.moescope.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.LoadProgress;
import io.moescope.model.runtime.MoeModel;
import io.moescope.testkit.ErrorMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Copies a fixture into a temporary directory and corrupts it in one specific way (bad-input tests). */
public final class BrokenInputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokenInputs() {}

    /**
     * Opens {@code dir} with MoeModel.open and returns the ModelLoadException it must throw, after checking that its
     * message is one line and contains every fragment (the file's name and the key phrase of the problem).
     */
    public static ModelLoadException loadError(Path dir, String... fragments) {
        return loadError(dir, 0, fragments);
    }

    public static ModelLoadException loadError(Path dir, long budget, String... fragments) {
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> MoeModel.open(dir, budget, LoadProgress.NONE, () -> false).close());
        assertMessage(e.getMessage(), fragments);
        return e;
    }

    /** One line, containing every fragment. */
    public static void assertMessage(String message, String... fragments) {
        ErrorMessages.assertOneLine(message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "message should contain '" + f + "': " + message);
        }
    }

    /** A copy of fixture {@code name} (every file) in {@code tmp}/{@code name}. */
    public static Path copy(String name, Path tmp) {
        Path src = Fixtures.dir(name);
        Path dst = tmp.resolve(name);
        try (Stream<Path> files = Files.list(src)) {
            Files.createDirectories(dst);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    /** The 8-byte header length of a safetensors file. */
    public static long headerLength(Path file) {
        return ByteBuffer.wrap(bytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The JSON header of a safetensors file. */
    public static ObjectNode header(Path file) {
        byte[] b = bytes(file);
        int n = (int) headerLength(file);
        try {
            return (ObjectNode) JSON.readTree(new String(b, 8, n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edits the JSON header of a safetensors file in place; the data section is kept byte for byte. */
    public static void editHeader(Path file, Consumer<ObjectNode> edit) {
        ObjectNode h = header(file);
        edit.accept(h);
        replaceHeader(file, h.toString());
    }

    /** Replaces the header with arbitrary text (not necessarily JSON), keeping the data section. */
    public static void replaceHeader(Path file, String headerText) {
        byte[] b = bytes(file);
        byte[] data = Arrays.copyOfRange(b, 8 + (int) headerLength(file), b.length);
        byte[] json = headerText.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        write(file, out.array());
    }

    /** Overwrites the 8-byte header length field. */
    public static void setHeaderLength(Path file, long length) {
        byte[] b = bytes(file);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        write(file, b);
    }

    /** Cuts the file to {@code size} bytes. */
    public static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edits {@code dir}/config.json. */
    public static void editConfig(Path dir, Consumer<ObjectNode> edit) {
        Path file = dir.resolve("config.json");
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            edit.accept(root);
            Files.writeString(file, root.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] b) {
        try {
            Files.write(file, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
