package io.moescope.model.recording;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.moescope.model.diagnosis.Eplb;
import io.moescope.model.diagnosis.Placement;
import io.moescope.model.trace.ModelShape;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Files SGLang's {@code --init-expert-location} accepts (serving-traces.md §2.8): {@code {"logical_count": [L][E]}}
 * (SGLang runs its EPLB on it) or {@code {"physical_to_logical_map": [L][R]}} (used as the placement), with one row
 * per decoder layer as SGLang numbers them; dense layers get zero counts and the trivial map {@code p mod E}.
 */
public final class InitExpertLocation {

    private InitExpertLocation() {
    }

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

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = new JsonFactory().createGenerator(out);
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        return json;
    }
}
