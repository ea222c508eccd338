package io.moescope.model.recording;

import io.moescope.model.recording.pickle.PickleException;
import io.moescope.model.recording.pickle.Tensor;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SGLang's expert-distribution recorder dumps (serving-traces.md §2.5–2.7), already unpickled: {@code stat}
 * (logical_count [B, L, E] summed over the ring buffer), {@code per_pass} (physical counts per pass and rank,
 * summed over rank files by forward_pass_id) and {@code per_token} (physical top-k ids per pass, streamed one
 * pass at a time). Physical slots become logical experts through the dump's last_physical_to_logical_map.
 */
final class SglangDump {

    private SglangDump() {}

    /** The recorder mode of an unpickled dump, or null if it is not one. */
    static String mode(Object root) {
        if (!(root instanceof Map<?, ?> m)) {
            return null;
        }
        if (m.get("logical_count") instanceof Tensor) {
            return "stat";
        }
        if (m.get("records") instanceof List<?> records && m.get("last_physical_to_logical_map") instanceof Tensor) {
            if (records.isEmpty()) {
                return "per_pass";
            }
            return records.get(0) instanceof Map<?, ?> r && r.containsKey("topk_ids_of_layer")
                    ? "per_token"
                    : "per_pass";
        }
        return null;
    }

    /** stat: one counts sequence, the sum over buffered passes. */
    static void stat(Map<?, ?> root, TraceOut out) throws RecordingException, PickleException {
        ModelShape s = out.shape();
        Tensor t = (Tensor) root.get("logical_count");
        if (t.rank() != 2 && t.rank() != 3) {
            throw new RecordingException("logical_count has rank " + t.rank() + ", expected [B, L, E] or [L, E]");
        }
        long[] shape = t.shape();
        int l = (int) shape[shape.length - 2];
        checkLayers(l, s, "logical_count");
        if (shape[shape.length - 1] != s.routedExperts()) {
            throw new RecordingException(
                    "logical_count has " + shape[shape.length - 1] + " experts, the model config " + s.routedExperts());
        }
        long[][] all = new long[l][s.routedExperts()];
        long[] v = t.toLongs();
        int per = l * s.routedExperts();
        for (int i = 0; i < v.length; i++) {
            int layer = (i % per) / s.routedExperts();
            all[layer][i % s.routedExperts()] += nonNegative(v[i], "logical_count");
        }
        out.counts(moeRows(all, s));
    }

    /** per_pass over all rank files of one dump: one counts sequence per forward pass, in pass order. */
    static void perPass(List<Map<?, ?>> ranks, TraceOut out) throws RecordingException, PickleException {
        ModelShape s = out.shape();
        Map<Long, long[][]> passes = new TreeMap<>();
        for (Map<?, ?> root : ranks) {
            long[][] map = placement(root, s);
            for (Object o : (List<?>) root.get("records")) {
                Map<?, ?> rec = record(o);
                Tensor c = tensor(rec, "global_physical_count");
                if (c.rank() != 2 || c.size(0) != s.layerCount() || c.size(1) != map[0].length) {
                    throw new RecordingException(
                            "global_physical_count of shape " + java.util.Arrays.toString(c.shape())
                                    + " does not match the placement [" + s.layerCount() + ", " + map[0].length + "]");
                }
                long[][] logical = passes.computeIfAbsent(
                        integer(rec, "forward_pass_id"), k -> new long[s.layerCount()][s.routedExperts()]);
                long[] v = c.toLongs();
                int slots = map[0].length;
                for (int i = 0; i < v.length; i++) {
                    int layer = i / slots;
                    logical[layer][(int) map[layer][i % slots]] += nonNegative(v[i], "global_physical_count");
                }
            }
        }
        for (long[][] pass : passes.values()) {
            out.counts(moeRows(pass, s));
        }
    }

    /** per_token of one rank file: a sequence per request of an extend pass, a sequence per other pass. */
    static void perToken(Map<?, ?> root, TraceOut out) throws RecordingException, PickleException {
        ModelShape s = out.shape();
        long[][] map = placement(root, s);
        List<?> records = (List<?>) root.get("records");
        for (int r = 0; r < records.size(); r++) {
            out.within((double) r / records.size());
            Map<?, ?> rec = record(records.get(r));
            Tensor ids = tensor(rec, "topk_ids_of_layer");
            List<?> inputIds = list(rec, "input_ids");
            if (ids.rank() != 3 || ids.size(0) != s.layerCount() || ids.size(1) != inputIds.size()) {
                throw new RecordingException("topk_ids_of_layer of shape " + java.util.Arrays.toString(ids.shape())
                        + " for " + inputIds.size() + " input ids and " + s.layerCount() + " layers");
            }
            checkLayers((int) ids.size(0), s, "topk_ids_of_layer");
            int tokens = inputIds.size();
            int width = (int) ids.size(2);
            List<Integer> lens = new ArrayList<>();
            if (rec.get("extend_seq_lens") instanceof List<?> l) {
                for (Object x : l) {
                    lens.add((int) (long) (Long) x);
                }
            }
            if (lens.stream().mapToInt(Integer::intValue).sum() != (lens.isEmpty() ? 0 : tokens)) {
                throw new RecordingException("extend_seq_lens " + lens + " do not add up to " + tokens + " tokens");
            }
            Phase phase = Long.valueOf(2).equals(rec.get("forward_mode")) ? Phase.DECODE : Phase.PREFILL;
            int[] topk = ids32(ids);
            int from = 0;
            for (int len : lens.isEmpty() ? List.of(tokens) : lens) {
                out.begin();
                PerTokenPass.segment(topk, tokens, width, from, from + len, inputIds, phase, map, out);
                from += len;
            }
            out.end();
        }
    }

    /** topk_ids_of_layer as ints (SGLang writes int32; a wider dump must still hold int32 values). */
    private static int[] ids32(Tensor ids) throws RecordingException, PickleException {
        if (ids.type().size <= 4 && ids.type() != io.moescope.model.recording.pickle.ElementType.UINT32) {
            return ids.toInts();
        }
        long[] wide = ids.toLongs();
        int[] out = new int[wide.length];
        for (int i = 0; i < wide.length; i++) {
            if (wide[i] < Integer.MIN_VALUE || wide[i] > Integer.MAX_VALUE) {
                throw new RecordingException("topk_ids_of_layer holds " + wide[i] + ", not an expert slot");
            }
            out[i] = (int) wide[i];
        }
        return out;
    }

    /** last_physical_to_logical_map [L, R] with every entry a logical expert of the model. */
    private static long[][] placement(Map<?, ?> root, ModelShape s) throws RecordingException, PickleException {
        Tensor m = (Tensor) root.get("last_physical_to_logical_map");
        if (m.rank() != 2) {
            throw new RecordingException("last_physical_to_logical_map has rank " + m.rank() + ", expected [L, R]");
        }
        checkLayers((int) m.size(0), s, "last_physical_to_logical_map");
        int slots = (int) m.size(1);
        if (slots < s.routedExperts()) {
            throw new RecordingException(
                    "the placement has " + slots + " physical slots for " + s.routedExperts() + " experts");
        }
        long[] v = m.toLongs();
        long[][] out = new long[s.layerCount()][slots];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= s.routedExperts()) {
                throw new RecordingException("the placement maps slot " + i % slots + " of layer " + i / slots
                        + " to expert " + v[i] + ", outside [0, " + s.routedExperts() + ")");
            }
            out[i / slots][i % slots] = v[i];
        }
        return out;
    }

    static void checkLayers(int layers, ModelShape s, String what) throws RecordingException {
        if (layers != s.layerCount()) {
            throw new RecordingException(what + " covers " + layers + " layers but the model config has "
                    + s.layerCount() + " (num_hidden_layers)");
        }
    }

    /** Rows of the MoE layers; a dense layer (by the config) must have no counts. */
    static long[][] moeRows(long[][] all, ModelShape s) throws RecordingException {
        long[][] out = new long[s.moeLayerCount()][];
        for (int layer = 0; layer < all.length; layer++) {
            int i = s.moeIndex(layer);
            if (i >= 0) {
                out[i] = all[layer];
            } else if (java.util.Arrays.stream(all[layer]).anyMatch(c -> c != 0)) {
                throw new RecordingException(
                        "layer " + layer + " has routed tokens but the model config makes it a " + "dense layer");
            }
        }
        return out;
    }

    private static long nonNegative(long v, String what) throws RecordingException {
        if (v < 0) {
            throw new RecordingException(what + " holds the negative count " + v);
        }
        return v;
    }

    private static Map<?, ?> record(Object o) throws RecordingException {
        if (!(o instanceof Map<?, ?> m)) {
            throw new RecordingException("a record that is not a dict");
        }
        return m;
    }

    private static Tensor tensor(Map<?, ?> rec, String key) throws RecordingException {
        if (!(rec.get(key) instanceof Tensor t)) {
            throw new RecordingException("a record without the tensor " + key);
        }
        if (!t.type().isIntegral()) {
            throw new RecordingException(key + " is " + t.type().torchName + ", expected integers");
        }
        return t;
    }

    private static List<?> list(Map<?, ?> rec, String key) throws RecordingException {
        if (!(rec.get(key) instanceof List<?> l)) {
            throw new RecordingException("a record without the list " + key);
        }
        for (Object x : l) {
            if (!(x instanceof Long v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new RecordingException(key + " holds " + x + ", expected int32 values");
            }
        }
        return l;
    }

    private static long integer(Map<?, ?> rec, String key) throws RecordingException {
        if (!(rec.get(key) instanceof Long v)) {
            throw new RecordingException("a record without the integer " + key);
        }
        return v;
    }
}
