package io.moescope.model.recording;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The MoE Routing Atlas trace (serving-traces.md §4.1): one JSON object per text with
 * {@code activations: [{layer, token_idx, expert_idx, gate_weight}]}. Imported as one sequence per trace with the
 * gate weights as decision weights; exported (as JSONL, one trace per sequence) from any per-token trace.
 */
public final class AtlasFormat {

    private AtlasFormat() {}

    /** One Atlas trace object → one sequence. */
    static void read(JsonNode trace, TraceOut out) throws RecordingException {
        ModelShape s = out.shape();
        if (trace.path("num_experts").asInt(-1) != s.routedExperts()
                || trace.path("top_k").asInt(-1) != s.topK()) {
            throw new RecordingException(
                    "Atlas trace of " + trace.path("model_id").asText("?") + " has "
                            + trace.path("num_experts").asText("?") + " experts top-"
                            + trace.path("top_k").asText("?")
                            + " but the model config has " + s.routedExperts() + " top-" + s.topK());
        }
        JsonNode acts = trace.path("activations");
        // token → MoE layer index → (experts, weights) in file order
        TreeMap<Integer, List<int[]>[]> byToken = new TreeMap<>();
        for (JsonNode a : acts) {
            int layer = a.path("layer").asInt(-1);
            int token = a.path("token_idx").asInt(-1);
            int i = s.moeIndex(layer);
            if (i < 0) {
                throw new RecordingException(
                        "Atlas activation in layer " + layer + ", which is not an MoE layer of " + "the model config");
            }
            if (token < 0) {
                throw new RecordingException("Atlas activation with token_idx " + a.path("token_idx"));
            }
            int e = a.path("expert_idx").asInt(Integer.MIN_VALUE);
            out.checkExpert(e, layer);
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<int[]>[] row = byToken.computeIfAbsent(token, t -> new List[s.moeLayerCount()]);
            if (row[i] == null) {
                row[i] = new ArrayList<>();
            }
            row[i].add(new int[] {
                e, Float.floatToIntBits((float) a.path("gate_weight").asDouble(Double.NaN))
            });
        }
        JsonNode ids = trace.path("token_ids");
        int tokens = Math.max(ids.size(), byToken.isEmpty() ? 0 : byToken.lastKey() + 1);
        out.begin();
        for (int t = 0; t < tokens; t++) {
            List<int[]>[] row = byToken.get(t);
            int[][] experts = new int[s.moeLayerCount()][];
            float[][] w = new float[s.moeLayerCount()][];
            for (int i = 0; row != null && i < row.length; i++) {
                if (row[i] != null) {
                    experts[i] = row[i].stream().mapToInt(x -> x[0]).toArray();
                    w[i] = new float[experts[i].length];
                    for (int j = 0; j < w[i].length; j++) {
                        w[i][j] = Float.intBitsToFloat(row[i].get(j)[1]);
                    }
                }
            }
            out.token(t < ids.size() ? ids.get(t).asInt() : -1, Phase.PREFILL, experts, w);
        }
        out.end();
    }

    /** Writes each sequence of per-token routing as one Atlas trace line; count-only sequences are refused. */
    public static final class Writer implements TraceSink, AutoCloseable {

        private final JsonGenerator json;
        private final String modelId;
        private ModelShape shape;
        private final List<RoutingDecision> decisions = new ArrayList<>();
        private final List<Integer> tokenIds = new ArrayList<>();

        public Writer(OutputStream out, String modelId) {
            try {
                json = new JsonFactory().createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            this.modelId = modelId;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void accept(TraceEvent event) {
            if (event instanceof SequenceStarted s) {
                shape = s.shape();
                decisions.clear();
                tokenIds.clear();
            } else if (event instanceof RoutingDecision d) {
                decisions.add(d);
            } else if (event instanceof TokenEmitted t) {
                tokenIds.add(t.tokenId());
            } else if (event instanceof io.moescope.model.trace.ExpertCounts) {
                throw new IllegalArgumentException(
                        "an Atlas trace needs per-token routing; this recording holds " + "counts only");
            } else if (event instanceof SequenceFinished) {
                try {
                    write();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the Atlas trace: " + e.getMessage(), e);
                }
            }
        }

        private void write() throws IOException {
            TreeSet<Integer> layers = new TreeSet<>();
            decisions.forEach(d -> layers.add(d.layer()));
            json.writeStartObject();
            json.writeStringField("model_id", modelId);
            json.writeNumberField("num_layers", layers.size());
            json.writeNumberField("num_experts", shape.routedExperts());
            json.writeNumberField("top_k", shape.topK());
            json.writeFieldName("token_ids");
            json.writeStartArray();
            for (int id : tokenIds) {
                json.writeNumber(id);
            }
            json.writeEndArray();
            json.writeFieldName("activations");
            json.writeStartArray();
            for (RoutingDecision d : decisions) {
                int[] e = d.experts();
                float[] w = d.weights();
                for (int j = 0; j < e.length; j++) {
                    json.writeStartObject();
                    json.writeNumberField("layer", d.layer());
                    json.writeNumberField("token_idx", d.position());
                    json.writeNumberField("expert_idx", e[j]);
                    if (Float.isFinite(w[j])) {
                        json.writeNumberField("gate_weight", w[j]);
                    } else {
                        json.writeNullField("gate_weight"); // the recording had no weights
                    }
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
        }

        @Override
        public void close() {
            try {
                json.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
