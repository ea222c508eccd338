package io.moescope.model.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OLMoE routing-analysis pickles (tools/reference/make_olmoe_pickles.py) through the whitelist reader. */
class OlmoePickleTest {

    static ModelShape shape;
    static long[][] expected; // [layer 0, 7, 15][expert]

    @BeforeAll
    static void fixtures() throws Exception {
        shape = RecordingShape.read(Recordings.file("olmoe/config.json"));
        JsonNode n = new ObjectMapper()
                .readTree(Recordings.file("olmoe/expected.json").toFile());
        expected = Recordings.matrix(n.get("counts"));
    }

    private static long[][] totals(ModelShape s, String name) throws ModelLoadException {
        RoutingAccumulator acc = new RoutingAccumulator(null, DiagnosisOptions.defaults());
        new RecordingImporter(s, PickleLimits.DEFAULT).run(List.of(Recordings.file("olmoe/" + name)), acc);
        return acc.counts().byDecoderLayer(s.layerCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"expert_counts.pkl", "eid2token.pkl", "expert_counts_crosslayer.pkl"})
    void everyKindGivesTheCountsOfLayers0And7And15(String name) throws Exception {
        long[][] t = totals(shape, name);
        int[] layers = {0, 7, 15};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], t[layers[i]], name + " layer " + layers[i]);
        }
        assertEquals(0, java.util.Arrays.stream(t[3]).sum(), "layers the script does not save stay empty");
        assertEquals(3 * 64 * 4, java.util.Arrays.stream(t[7]).sum(), "3 chunks of 64 tokens, top-4");
    }

    @Test
    void aNumpyArrayInsideIsARefusedGlobal() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> totals(shape, "reject_ndarray.pkl"));
        assertTrue(e.getMessage().contains("refused global numpy"), e.getMessage());
        assertTrue(e.getMessage().contains("reject_ndarray.pkl"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anExpertIdOutsideTheConfigIsOneLine() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> totals(shape, "bad_expert.pkl"));
        assertTrue(e.getMessage().contains("expert id 16 in layer 7 is outside [0, 16)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aModelWithFewerLayersThanTheScriptSavesIsRefused() throws Exception {
        ModelShape four = RecordingShape.read(Recordings.file("config.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> totals(four, "expert_counts.pkl"));
        assertTrue(e.getMessage().contains("layers 0, 7 and 15"), e.getMessage());
        assertTrue(e.getMessage().contains("has 4 layers"), e.getMessage());
    }
}
