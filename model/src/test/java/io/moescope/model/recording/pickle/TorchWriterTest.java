package io.moescope.model.recording.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.recording.InitExpertLocation;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .pt writer: what it writes reads back through {@link TorchFile}, and byte for byte it is the committed
 * {@code written_by_java_*.pt} that tools/reference/check_torch_writer.py loaded with
 * {@code torch.load(f, weights_only=True)} (its result: {@code written_by_java.torch.json}). Each run leaves the
 * files it would write in model/target/torchwriter, which is what the script reads after a change to the writer.
 */
class TorchWriterTest {

    /** A placement of 3 layers over 6 slots (the first a dense layer's trivial map) and counts of 3 × 4 experts. */
    static final int[][] PLAN = {{0, 1, 2, 3, 0, 1}, {3, 0, 2, 1, 3, 3}, {2, 2, 0, 1, 3, 0}};

    static final long[][] COUNTS = {{0, 0, 0, 0}, {5, 0, 3_000_000_000L, 7}, {1, 2, 3, 4}};

    @TempDir
    Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchWriterTest.class.getResource("/recording/" + name).toURI());
    }

    private static byte[] plan() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitExpertLocation.writePhysicalToLogicalPt(PLAN, out);
        return out.toByteArray();
    }

    private static byte[] counts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitExpertLocation.writeLogicalCountPt(COUNTS, out);
        return out.toByteArray();
    }

    @Test
    void readsBackThroughTheSafeReader() throws Exception {
        Path f = Files.write(tmp.resolve("plan.pt"), plan());
        try (TorchFile t = TorchFile.open(f, PickleLimits.DEFAULT)) {
            Tensor map = (Tensor) ((Map<?, ?>) t.root()).get("physical_to_logical_map");
            assertEquals(ElementType.INT64, map.type());
            assertArrayEquals(new long[] {3, 6}, map.shape());
            long[] flat = map.toLongs();
            for (int l = 0; l < 3; l++) {
                for (int p = 0; p < 6; p++) {
                    assertEquals(PLAN[l][p], flat[l * 6 + p]);
                }
            }
        }
    }

    @Test
    void storagesStartOn64ByteBoundariesAsTorchWritesThem() throws Exception {
        Path f = Files.write(tmp.resolve("counts.pt"), counts());
        byte[] bytes = Files.readAllBytes(f);
        try (ZipFile z = new ZipFile(f.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                assertEquals(ZipEntry.STORED, e.getMethod());
                assertTrue(e.getName().startsWith("archive/"), e.getName());
            }
            byte[] data = z.getInputStream(z.getEntry("archive/data/0")).readAllBytes();
            int at = indexOf(bytes, data);
            assertEquals(0, at % 64, "data/0 at " + at);
        }
    }

    @Test
    void isTheFileTorchLoaded() throws Exception {
        Path fresh = Files.createDirectories(Path.of("target", "torchwriter")); // what to re-check after a change
        Files.write(fresh.resolve("written_by_java_plan.pt"), plan());
        Files.write(fresh.resolve("written_by_java_counts.pt"), counts());
        assertArrayEquals(
                Files.readAllBytes(resource("written_by_java_plan.pt")),
                plan(),
                "the writer still writes the file torch read (regenerate: see check_torch_writer.py)");
        assertArrayEquals(Files.readAllBytes(resource("written_by_java_counts.pt")), counts());
        JsonNode torch = new ObjectMapper()
                .readTree(resource("written_by_java.torch.json").toFile());
        assertEquals("torch.int64", torch.at("/plan/dtype").asText());
        assertEquals("torch.int64", torch.at("/counts/dtype").asText());
        assertTrue(torch.at("/plan/weights_only").asBoolean());
        for (int l = 0; l < PLAN.length; l++) {
            for (int p = 0; p < PLAN[l].length; p++) {
                assertEquals(PLAN[l][p], torch.at("/plan/values").get(l).get(p).asLong());
            }
            for (int e = 0; e < COUNTS[l].length; e++) {
                assertEquals(
                        COUNTS[l][e], torch.at("/counts/values").get(l).get(e).asLong());
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
