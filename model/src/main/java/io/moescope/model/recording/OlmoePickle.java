package io.moescope.model.recording;

import io.moescope.model.recording.pickle.PyTuple;
import io.moescope.model.trace.ModelShape;
import java.util.List;
import java.util.Map;

/**
 * The pickles of OLMoE's routing analysis (allenai/OLMoE scripts/run_routing_analysis.py, serving-traces.md §4.2),
 * already unpickled through the whitelist (Counter, defaultdict and numpy int64 scalars are all it needs):
 * {@code expert_counts} = 3 Counters expert → count, {@code eid2token} = 3 maps expert → (token → count), for decoder
 * layers 0, 7 and 15 (the layers that script saves); {@code expert_counts_crosslayer} = 2 Counters (expert in layer
 * a, expert in layer b) → count for the pairs (0, 7) and (7, 15), whose margins are the same per-layer counts. Each
 * file becomes one counts sequence.
 */
final class OlmoePickle {

    /** The decoder layers run_routing_analysis.py saves. */
    static final int[] LAYERS = {0, 7, 15};

    private OlmoePickle() {}

    /** Whether an unpickled root is a list of 3 (or 2 pair-keyed) maps. */
    static boolean matches(Object root) {
        if (!(root instanceof List<?> l) || l.size() < 2 || l.size() > 3) {
            return false;
        }
        return l.stream().allMatch(x -> x instanceof Map<?, ?>);
    }

    /** One counts sequence from the file's maps; the kind it read. */
    static String read(List<?> maps, TraceOut out) throws RecordingException {
        ModelShape s = out.shape();
        if (s.layerCount() <= LAYERS[LAYERS.length - 1]) {
            throw new RecordingException("OLMoE analysis pickle counts decoder layers 0, 7 and 15 (as "
                    + "run_routing_analysis.py saves them) but the model config has " + s.layerCount() + " layers");
        }
        long[][] all = new long[s.layerCount()][s.routedExperts()];
        boolean pairs = maps.size() == 2;
        String kind;
        if (pairs) {
            for (int p = 0; p < 2; p++) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) maps.get(p)).entrySet()) {
                    if (!(e.getKey() instanceof PyTuple t) || t.size() != 2) {
                        throw new RecordingException(
                                "OLMoE cross-layer counter with the key " + e.getKey() + ", expected (expert, expert)");
                    }
                    long c = count(e.getValue());
                    if (p == 0) {
                        all[0][expert(t.get(0), 0, out)] += c;
                    }
                    all[LAYERS[p + 1]][expert(t.get(1), LAYERS[p + 1], out)] += c;
                }
            }
            kind = "OLMoE cross-layer expert counts (pickle)";
        } else {
            boolean byToken = false;
            for (int i = 0; i < 3; i++) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) maps.get(i)).entrySet()) {
                    int expert = expert(e.getKey(), LAYERS[i], out);
                    if (e.getValue() instanceof Map<?, ?> tokens) {
                        byToken = true;
                        for (Object c : tokens.values()) {
                            all[LAYERS[i]][expert] += count(c);
                        }
                    } else {
                        all[LAYERS[i]][expert] += count(e.getValue());
                    }
                }
            }
            kind = byToken ? "OLMoE eid2token counts (pickle)" : "OLMoE expert counts (pickle)";
        }
        long[][] rows = new long[s.moeLayerCount()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = all[s.moeLayers()[i]]; // layers the file does not cover stay zero
        }
        for (int layer : LAYERS) {
            if (s.moeIndex(layer) < 0) {
                throw new RecordingException(
                        "OLMoE analysis pickle counts layer " + layer + ", which the model config makes a dense layer");
            }
        }
        out.counts(rows);
        return kind;
    }

    private static int expert(Object key, int layer, TraceOut out) throws RecordingException {
        if (!(key instanceof Long e) || e < Integer.MIN_VALUE || e > Integer.MAX_VALUE) {
            throw new RecordingException("OLMoE counter key " + key + " in layer " + layer + " is not an expert id");
        }
        out.checkExpert((int) (long) e, layer);
        return (int) (long) e;
    }

    private static long count(Object v) throws RecordingException {
        if (!(v instanceof Long c) || c < 0) {
            throw new RecordingException("OLMoE counter value " + v + " is not a count");
        }
        return c;
    }
}
