package io.moescope.model.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.PickleException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The model shape a MoE Routing Atlas recording implies, for an import without the model's config.json: each trace
 * carries {@code num_experts} (E), {@code top_k} and {@code num_layers} (its count of MoE layers), and its
 * activations name the decoder layer of every routing. The MoE layers are the layers the activations route in (all
 * {@code num_layers} of them must appear: the index of a layer that never routes cannot be known); the decoder layers
 * are 0 to the last of them, the ones between that never route being dense. What no Atlas file says is taken as
 * the plainest model: no shared experts, one expert group, attention everywhere, and a vocabulary just large enough
 * for the token ids it holds. Every other format needs the config.json (serving-traces.md §1 lists what each holds).
 */
public final class AtlasShape {

    /** Decoder layers an inferred shape may have (real models have ≤ 200): views are sized by it. */
    static final int MAX_LAYERS = 1024;

    /** Routed experts an inferred shape may have (real models have ≤ 512): count tables are sized by it. */
    static final int MAX_EXPERTS = 4096;

    /** Bytes at the start of a file that {@link #looksLike} reads. */
    private static final int SNIFF_BYTES = 64 << 10;

    private AtlasShape() {}

    /**
     * The shape that the Atlas files together imply; refuses, naming the file, any file that is not an Atlas
     * recording (it carries no shape) and traces that disagree on E, top-k or their MoE layers.
     */
    public static ModelShape of(List<Path> files, PickleLimits limits) throws ModelLoadException {
        Scan scan = new Scan();
        for (Path f : files) {
            try {
                if (!looksLike(f)) {
                    throw new RecordingException(
                            "this format carries no model shape (dense layers, experts, top-k): give the recorded "
                                    + "model's config.json (only MoE Routing Atlas files carry their own)");
                }
                RecordingImporter.jsonValues(f, limits, scan::value);
                scan.check();
            } catch (RecordingException | PickleException e) {
                throw ModelLoadException.at(f, e.getMessage());
            } catch (IOException e) {
                throw ModelLoadException.at(f, "cannot read: " + e.getMessage());
            }
        }
        try {
            return scan.shape();
        } catch (RecordingException e) {
            throw ModelLoadException.at(files.get(files.size() - 1), e.getMessage());
        }
    }

    /** True if every file {@link #looksLike looks like} an Atlas recording. */
    public static boolean looksLikeAll(List<Path> files) throws IOException {
        for (Path f : files) {
            if (!looksLike(f)) {
                return false;
            }
        }
        return !files.isEmpty();
    }

    /**
     * True if the file starts like an Atlas recording: JSON whose first {@value #SNIFF_BYTES} bytes name Atlas
     * fields. Cheap (the window asks before it chooses whether to ask for a config.json); {@link #of} decides.
     */
    public static boolean looksLike(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        return (text.startsWith("{") || text.startsWith("["))
                && (text.contains("\"activations\"") || text.contains("\"num_experts\""));
    }

    /** What the traces read so far say. */
    private static final class Scan {
        private final TreeSet<Integer> layers = new TreeSet<>();
        private String modelId;
        private int experts = -1;
        private int topK = -1;
        private int namedLayers = -1;
        private int maxToken = -1;
        private int traces;

        void value(JsonNode n) throws RecordingException {
            if (n.isArray()) {
                for (JsonNode t : n) {
                    value(t);
                }
            } else if (n.has("traces")) {
                value(n.get("traces"));
            } else if (n.has("activations")) {
                trace(n);
            } else {
                throw new RecordingException("JSON that is not an Atlas trace (no activations) carries no model "
                        + "shape: give the recorded model's config.json");
            }
        }

        private void trace(JsonNode t) throws RecordingException {
            traces++;
            int e = t.path("num_experts").asInt(-1);
            int k = t.path("top_k").asInt(-1);
            if (e <= 0 || e > MAX_EXPERTS || k <= 0 || k > e) {
                throw new RecordingException("Atlas trace " + traces + " has num_experts "
                        + t.path("num_experts").asText("(none)") + " and top_k "
                        + t.path("top_k").asText("(none)")
                        + ": not a shape (1 ≤ top_k ≤ num_experts ≤ " + MAX_EXPERTS + ")");
            }
            if (experts < 0) {
                experts = e;
                topK = k;
                modelId = t.path("model_id").asText("");
            } else if (e != experts || k != topK) {
                throw new RecordingException("Atlas trace " + traces + " has " + e + " experts top-" + k
                        + " but an earlier one " + experts + " top-" + topK);
            }
            int named = t.path("num_layers").asInt(0);
            if (named > 0 && namedLayers > 0 && named != namedLayers) {
                throw new RecordingException(
                        "Atlas trace " + traces + " names " + named + " MoE layers but an earlier one " + namedLayers);
            }
            namedLayers = named > 0 ? named : namedLayers;
            for (JsonNode a : t.path("activations")) {
                JsonNode layer = a.path("layer");
                if (!layer.canConvertToInt() || layer.asInt() < 0 || layer.asInt() >= MAX_LAYERS) {
                    throw new RecordingException(
                            "Atlas activation in layer " + layer + " (layers are 0 to " + (MAX_LAYERS - 1) + ")");
                }
                layers.add(layer.asInt());
            }
            for (JsonNode id : t.path("token_ids")) {
                maxToken = Math.max(maxToken, id.asInt(-1));
            }
        }

        /** After each file: no more MoE layers than the traces name. */
        void check() throws RecordingException {
            if (namedLayers > 0 && layers.size() > namedLayers) {
                throw new RecordingException("the activations route in " + layers.size() + " layers " + layers
                        + " but the traces name " + namedLayers + " MoE layers");
            }
        }

        ModelShape shape() throws RecordingException {
            if (layers.isEmpty()) {
                throw new RecordingException("the Atlas recording has no activations: its MoE layers cannot be "
                        + "known; give the recorded model's config.json");
            }
            if (namedLayers > layers.size()) {
                throw new RecordingException("the Atlas traces name " + namedLayers + " MoE layers but route in only "
                        + layers.size() + " " + layers + ": the others' indices cannot be known; give the "
                        + "recorded model's config.json");
            }
            int[] moe = layers.stream().mapToInt(Integer::intValue).toArray();
            String type = modelId.isBlank() ? "atlas" : modelId;
            return new ModelShape(type, moe[moe.length - 1] + 1, moe, experts, 0, topK, Math.max(1, maxToken + 1));
        }
    }
}
