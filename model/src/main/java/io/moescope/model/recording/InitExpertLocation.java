package io.moescope.model.recording;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.moescope.model.diagnosis.Eplb;
import io.moescope.model.diagnosis.Placement;
import io.moescope.model.recording.pickle.TorchWriter;
import io.moescope.model.trace.ModelShape;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Files SGLang's {@code --init-expert-location} accepts (serving-traces.md §2.8): {@code {"logical_count": [L][E]}}
 * (SGLang runs its EPLB on it) or {@code {"physical_to_logical_map": [L][R]}} (used as the placement), with one row
 * per decoder layer as SGLang numbers them; dense layers get zero counts and the trivial map {@code p mod E}. Both
 * as JSON or as a torch .pt file ({@link TorchWriter}).
 */
public final class InitExpertLocation {

    private InitExpertLocation() {}

    /** Writes totals [layer][expert] as a logical_count file. */
    public static void writeLogicalCount(long[][] totals, OutputStream out) throws IOException {
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            json.writeFieldName("logical_count");
            json.writeStartArray();
            for (long[] row : totals) {
                json.writeArray(row, 0, row.length);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * Plans a placement per MoE layer with {@link Eplb#rebalance} on the totals (slots = E + redundant, over the
     * given GPUs and nodes, expert groups from the shape): physical_to_logical_map [layer][slot].
     */
    public static int[][] plan(long[][] totals, ModelShape shape, int redundant, int nodes, int gpus) {
        int e = shape.routedExperts();
        int slots = e + redundant;
        int[][] map = new int[shape.layerCount()][];
        for (int layer = 0; layer < map.length; layer++) {
            if (!shape.isMoeLayer(layer)) {
                map[layer] = new int[slots];
                for (int p = 0; p < slots; p++) {
                    map[layer][p] = p % e;
                }
                continue;
            }
            double[] w = new double[e];
            for (int x = 0; x < e; x++) {
                w[x] = totals[layer][x];
            }
            Placement placed = Eplb.rebalance(w, slots, shape.expertGroups(), nodes, gpus);
            map[layer] = placed.phy2log();
        }
        return map;
    }

    public static void writePhysicalToLogical(int[][] map, OutputStream out) throws IOException {
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            json.writeFieldName("physical_to_logical_map");
            json.writeStartArray();
            for (int[] row : map) {
                json.writeArray(row, 0, row.length);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** The placement as SGLang's .pt form: {"physical_to_logical_map": int64 [L, R]} written by torch.save's rules. */
    public static void writePhysicalToLogicalPt(int[][] map, OutputStream out) throws IOException {
        long[][] wide = new long[map.length][];
        for (int l = 0; l < map.length; l++) {
            wide[l] = java.util.Arrays.stream(map[l]).asLongStream().toArray();
        }
        TorchWriter.writeLongMatrices(Map.of("physical_to_logical_map", wide), out);
    }

    /** Totals [layer][expert] as SGLang's .pt form: {"logical_count": int64 [L, E]} (SGLang adds the pass axis). */
    public static void writeLogicalCountPt(long[][] totals, OutputStream out) throws IOException {
        TorchWriter.writeLongMatrices(Map.of("logical_count", totals), out);
    }

    /**
     * vLLM's {@code --eplb-config} (serving-traces.md §3.2): vLLM reads no placement file (its EPLB plans from the
     * loads of its own window), so what can be handed over is the configuration: the redundant experts of the plan,
     * the window and interval at their defaults, balancedness logged to compare with the recording.
     */
    public static void writeVllmEplbConfig(int redundantExperts, OutputStream out) throws IOException {
        if (redundantExperts < 0) {
            throw new IllegalArgumentException("redundant experts must be >= 0, got " + redundantExperts);
        }
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            json.writeNumberField("window_size", 1000);
            json.writeNumberField("step_interval", 3000);
            json.writeNumberField("num_redundant_experts", redundantExperts);
            json.writeBooleanField("log_balancedness", true);
            json.writeEndObject();
        }
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = new JsonFactory().createGenerator(out);
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        return json;
    }
}
