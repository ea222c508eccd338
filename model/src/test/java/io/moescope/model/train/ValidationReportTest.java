package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import io.moescope.testkit.ErrorMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validation.json: what toJson writes, read reads back; old files without rankShares read; bad files in one line. */
class ValidationReportTest {

    @TempDir
    Path dir;

    static ValidationReport sample() {
        Map<String, double[]> top1 = new LinkedHashMap<>();
        top1.put("code", new double[] {0.75, 0.25});
        top1.put("prose", new double[] {0.125, 0.875});
        return new ValidationReport(
                "tiny",
                3,
                16,
                List.of(
                        new ValidationReport.DomainResult("code", 48, 2.5, 4.25),
                        new ValidationReport.DomainResult("prose", 48, 3.125, 4.5)),
                List.of(new ValidationReport.LayerResult(
                        1, top1, 0.375, new int[] {70, 26}, 1.4583, 0, new double[] {0.8, 0.2})));
    }

    @Test
    void readsBackWhatToJsonWrote() throws Exception {
        ValidationReport want = sample();
        Path file = dir.resolve("validation.json");
        Files.writeString(file, want.toJson());
        ValidationReport got = ValidationReport.read(file);
        assertEquals(want.model(), got.model());
        assertEquals(want.windowsPerDomain(), got.windowsPerDomain());
        assertEquals(want.seq(), got.seq());
        assertEquals(want.domains(), got.domains());
        ValidationReport.LayerResult w = want.layers().get(0);
        ValidationReport.LayerResult g = got.layers().get(0);
        assertEquals(w.layer(), g.layer());
        assertEquals(w.top1().keySet(), g.top1().keySet());
        for (String k : w.top1().keySet()) {
            assertArrayEquals(w.top1().get(k), g.top1().get(k));
        }
        assertEquals(w.meanJs(), g.meanJs());
        assertArrayEquals(w.load(), g.load());
        assertEquals(w.maxOverMean(), g.maxOverMean());
        assertEquals(w.deadExperts(), g.deadExperts());
        assertArrayEquals(w.rankShares(), g.rankShares());
        assertEquals(want.toJson(), got.toJson(), "a second round trip changes nothing");
    }

    @Test
    void anOlderFileWithoutRankSharesReads() throws Exception {
        Path file = dir.resolve("validation.json");
        Files.writeString(
                file,
                "{\"domains\":[{\"name\":\"code\",\"loss\":2.5}],"
                        + "\"layers\":[{\"layer\":1,\"meanJs\":0.25,\"maxOverMean\":1.5}]}");
        ValidationReport r = ValidationReport.read(file);
        assertEquals("code", r.domains().get(0).name());
        assertEquals(2.5, r.domains().get(0).loss());
        assertTrue(Double.isNaN(r.domains().get(0).unigramLoss()));
        assertEquals(0, r.layers().get(0).rankShares().length);
        assertEquals(0, r.layers().get(0).load().length);
        assertEquals(1.5, r.layers().get(0).maxOverMean());
    }

    @Test
    void badFilesAreOneLineNamingTheFile() throws IOException {
        assertBad(null, "is missing");
        assertBad("{\"domains\": [", "is not valid JSON");
        assertBad("[]", "needs non-empty 'domains' and 'layers' arrays");
        assertBad("{\"domains\":[],\"layers\":[{\"layer\":1}]}", "needs non-empty");
        assertBad(
                "{\"domains\":[{\"name\":\"code\"}],\"layers\":[{\"layer\":1,\"meanJs\":0,\"maxOverMean\":1}]}",
                "no number field 'loss'");
        assertBad(
                "{\"domains\":[{\"loss\":1}],\"layers\":[{\"layer\":1,\"meanJs\":0,\"maxOverMean\":1}]}",
                "no text field 'name'");
        assertBad(
                "{\"domains\":[{\"name\":\"c\",\"loss\":1}],\"layers\":[{\"layer\":1,\"maxOverMean\":1}]}",
                "no number field 'meanJs'");
        assertBad(
                "{\"domains\":[{\"name\":\"c\",\"loss\":1}],"
                        + "\"layers\":[{\"layer\":1,\"meanJs\":0,\"maxOverMean\":1,\"rankShares\":\"x\"}]}",
                "'rankShares' is not an array of numbers");
        assertBad(" ".repeat((int) ValidationReport.MAX_BYTES + 1), "larger than 1 MB");
    }

    private void assertBad(String content, String problem) throws IOException {
        Path file = dir.resolve("v" + Math.abs((content == null ? "" : content).hashCode()) + ".json");
        if (content != null) {
            Files.writeString(file, content);
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ValidationReport.read(file));
        ErrorMessages.assertOneLine(e.getMessage());
        ErrorMessages.assertNamesFile(e.getMessage(), file.toString());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
