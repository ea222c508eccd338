package io.moescope.model.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.AlwaysOnPart;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An Atlas recording imports without the model's config.json; everything else still needs it. */
class AtlasShapeTest {

    @TempDir
    Path tmp;

    private static List<String> decisions(ModelShape shape, Path file) throws ModelLoadException {
        List<String> out = new ArrayList<>();
        new RecordingImporter(shape, PickleLimits.DEFAULT).run(List.of(file), Recordings.sink((TraceEvent e) -> {
            if (e instanceof RoutingDecision d) {
                out.add(d.sequenceId() + "/" + d.position() + "/" + d.layer() + Arrays.toString(d.experts())
                        + Arrays.toString(d.weights()));
            }
        }));
        return out;
    }

    @Test
    void theAtlasFixtureImpliesTheConfigsLayersExpertsAndTopK() throws Exception {
        ModelShape config = RecordingShape.read(Recordings.file("config.json"));
        for (String name : List.of("atlas.jsonl", "atlas.json")) {
            Path f = Recordings.file(name);
            ModelShape own = RecordingShape.read(null, List.of(f));
            assertArrayEquals(config.moeLayers(), own.moeLayers(), name);
            assertEquals(config.layerCount(), own.layerCount(), name);
            assertEquals(config.routedExperts(), own.routedExperts(), name);
            assertEquals(config.topK(), own.topK(), name);
            assertEquals(AlwaysOnPart.DENSE_FFN, own.alwaysOn(0), "layer 0 never routes: dense");
            assertEquals("fixture/deepseek-tiny", own.modelType());
            List<String> withConfig = decisions(config, f);
            assertFalse(withConfig.isEmpty());
            assertEquals(withConfig, decisions(own, f), name + ": the same routing with or without the config");
        }
    }

    @Test
    void otherFormatsCarryNoShape() throws Exception {
        for (String name : List.of("sglang_stat.pt", "sglang_counts.csv", "vllm_completion.json")) {
            ModelLoadException e = assertThrows(
                    ModelLoadException.class, () -> RecordingShape.read(null, List.of(Recordings.file(name))));
            assertTrue(
                    e.getMessage()
                            .endsWith(name + ": this format carries no model shape (dense layers, "
                                    + "experts, top-k): give the recorded model's config.json (only MoE Routing Atlas "
                                    + "files carry their own)"),
                    e.getMessage());
        }
        assertTrue(AtlasShape.looksLikeAll(List.of(Recordings.file("atlas.json"), Recordings.file("atlas.jsonl"))));
        assertFalse(AtlasShape.looksLikeAll(List.of(Recordings.file("atlas.json"), Recordings.file("sglang_r3.json"))));
    }

    private static String trace(int experts, int topK, int namedLayers, String activations) {
        return "{\"model_id\": \"m\", \"num_layers\": " + namedLayers + ", \"num_experts\": " + experts
                + ", \"top_k\": " + topK + ", \"token_ids\": [5, 9], \"activations\": [" + activations + "]}";
    }

    private static String act(int layer, int token, int expert) {
        return "{\"layer\": " + layer + ", \"token_idx\": " + token + ", \"expert_idx\": " + expert
                + ", \"gate_weight\": 0.5}";
    }

    @Test
    void layersBetweenTheRoutedOnesAreDenseAndTheVocabularyHoldsTheIds() throws Exception {
        Path f = tmp.resolve("gap.jsonl");
        Files.writeString(
                f,
                trace(8, 1, 2, act(2, 0, 3) + "," + act(5, 0, 7)) + "\n"
                        + trace(8, 1, 2, act(2, 0, 1) + "," + act(5, 0, 0) + "," + act(2, 1, 4) + "," + act(5, 1, 2))
                        + "\n");
        ModelShape s = RecordingShape.read(null, List.of(f));
        assertArrayEquals(new int[] {2, 5}, s.moeLayers());
        assertEquals(6, s.layerCount());
        assertEquals(10, s.vocabSize());
        assertTrue(s.alwaysOn(3).isDenseLayer());
        assertEquals(6, decisions(s, f).size());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "8|2|3|route in only 2 [0, 1]: the others' indices cannot be known",
                "8|2|1|the activations route in 2 layers [0, 1] but the traces name 1 MoE layers",
                "8|9|2|has num_experts 8 and top_k 9: not a shape",
                "0|1|2|has num_experts 0 and top_k 1: not a shape",
                "5000|1|2|has num_experts 5000 and top_k 1: not a shape",
            })
    void aShapeThatCannotBeKnownIsRefusedInOneLine(int experts, int topK, int named, String problem) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, trace(experts, topK, named, act(0, 0, 1) + "," + act(1, 0, 2)));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> RecordingShape.read(null, List.of(f)));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void disagreeingTracesAHugeLayerAndNoActivationsAreRefused() throws Exception {
        Path two = tmp.resolve("two.jsonl");
        Files.writeString(two, trace(8, 2, 1, act(0, 0, 1)) + "\n" + trace(16, 2, 1, act(0, 0, 1)) + "\n");
        assertTrue(assertThrows(ModelLoadException.class, () -> RecordingShape.read(null, List.of(two)))
                .getMessage()
                .contains("Atlas trace 2 has 16 experts top-2 but an earlier one 8 top-2"));
        Path huge = tmp.resolve("huge.json");
        Files.writeString(huge, trace(8, 2, 1, act(2_000_000_000, 0, 1)));
        assertTrue(assertThrows(ModelLoadException.class, () -> RecordingShape.read(null, List.of(huge)))
                .getMessage()
                .contains("Atlas activation in layer 2000000000 (layers are 0 to 1023)"));
        Path none = tmp.resolve("none.json");
        Files.writeString(none, "{\"traces\": [" + trace(8, 2, 0, "") + "]}");
        assertTrue(assertThrows(ModelLoadException.class, () -> RecordingShape.read(null, List.of(none)))
                .getMessage()
                .contains("has no activations: its MoE layers cannot be known"));
    }
}
