package io.moescope.model.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.recording.pickle.Npy;
import io.moescope.model.recording.pickle.PickleException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.recording.pickle.Tensor;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Per-request routed experts returned by serving engines (serving-traces.md §2.9, §3.1): SGLang's
 * {@code meta_info.routed_experts} (base64 of raw int32 [rows, num_hidden_layers, top_k]), vLLM's
 * {@code routed_experts} as nested JSON lists or as base64 of an .npy file, and a bare .npy array. The layer axis
 * holds either every decoder layer (dense rows ignored) or only the MoE layers; anything else contradicts the config.
 */
final class RoutedExperts {

    private RoutedExperts() {}

    /** ids[row][layer of the array][k] with a row count, read from some encoding. */
    interface Rows {
        int rows();

        int layers();

        int k();

        long id(int row, int layer, int j);
    }

    /** SGLang R3: raw little-endian int32, reshaped with the model's layer count and top-k. */
    static Rows rawInt32(String base64, ModelShape s) throws RecordingException {
        byte[] b = decode(base64);
        int per = 4 * s.layerCount() * s.topK();
        if (b.length % per != 0) {
            throw new RecordingException("routed_experts holds " + b.length + " bytes, not a whole number of ["
                    + s.layerCount() + " layers × top-" + s.topK() + "] int32 rows");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int rows = b.length / per;
        return rows(
                rows, s.layerCount(), s.topK(), (r, l, j) -> buf.getInt(((r * s.layerCount() + l) * s.topK() + j) * 4));
    }

    /** vLLM: base64 of np.save bytes. */
    static Rows npyBase64(String base64) throws RecordingException, PickleException {
        return npy(Npy.parse(decode(base64), "routed_experts", PickleLimits.DEFAULT));
    }

    /** An [rows, layers, k] integer array. */
    static Rows npy(Tensor t) throws RecordingException, PickleException {
        if (t.rank() != 3 || !t.type().isIntegral()) {
            throw new RecordingException("routed experts must be an integer array [tokens, layers, top_k], got " + t);
        }
        Tensor.Data d = t.read();
        int layers = (int) t.size(1);
        int k = (int) t.size(2);
        return rows((int) t.size(0), layers, k, (r, l, j) -> d.longFlat(((long) r * layers + l) * k + j));
    }

    /** vLLM's nested JSON lists [tokens][layers][k]. */
    static Rows lists(JsonNode a) throws RecordingException {
        if (!a.isArray()) {
            throw new RecordingException("routed_experts must be a list of [layers][top_k] lists");
        }
        int layers = a.size() == 0 ? 0 : a.get(0).size();
        int k = layers == 0 ? 0 : a.get(0).get(0).size();
        for (JsonNode row : a) {
            if (!row.isArray() || row.size() != layers) {
                throw new RecordingException("routed_experts rows of unequal layer counts");
            }
            for (JsonNode l : row) {
                if (!l.isArray() || l.size() != k) {
                    throw new RecordingException("routed_experts lists of unequal top-k");
                }
                for (JsonNode e : l) {
                    if (!e.isIntegralNumber()) {
                        throw new RecordingException("routed_experts holds " + e + ", expected integers");
                    }
                }
            }
        }
        return rows(a.size(), layers, k, (r, l, j) -> a.get(r).get(l).get(j).asLong());
    }

    /** Writes rows [from, to) as tokens of the open sequence; rows before prefillRows are prompt tokens. */
    static void emit(Rows rows, int prefillRows, TraceOut out) throws RecordingException {
        ModelShape s = out.shape();
        int[] decoder = layerMap(rows, s);
        int[] moe = s.moeLayers();
        for (int r = 0; r < rows.rows(); r++) {
            int[][] experts = new int[moe.length][];
            for (int l = 0; l < rows.layers(); l++) {
                int i = s.moeIndex(decoder[l]);
                if (i < 0) {
                    continue; // a dense layer: SGLang writes zeros, SGL-JAX -1
                }
                int[] ids = new int[rows.k()];
                for (int j = 0; j < ids.length; j++) {
                    long e = rows.id(r, l, j);
                    out.checkExpert((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, e)), decoder[l]);
                    ids[j] = (int) e;
                }
                experts[i] = ids;
            }
            out.token(-1, r < prefillRows ? Phase.PREFILL : Phase.DECODE, experts, null);
        }
    }

    /** Decoder layer of each array layer: all layers, or the MoE layers only. */
    private static int[] layerMap(Rows rows, ModelShape s) throws RecordingException {
        if (rows.rows() == 0) {
            return new int[0];
        }
        if (rows.k() != s.topK()) {
            throw new RecordingException(
                    "routed experts have top-" + rows.k() + " but the model config routes top-" + s.topK());
        }
        if (rows.layers() == s.layerCount()) {
            int[] all = new int[rows.layers()];
            for (int l = 0; l < all.length; l++) {
                all[l] = l;
            }
            return all;
        }
        if (rows.layers() == s.moeLayerCount()) {
            return s.moeLayers();
        }
        throw new RecordingException("routed experts cover " + rows.layers() + " layers but the model config has "
                + s.layerCount() + " layers, " + s.moeLayerCount() + " of them MoE");
    }

    private interface Id {
        long at(int row, int layer, int j);
    }

    private static Rows rows(int n, int layers, int k, Id id) {
        return new Rows() {
            public int rows() {
                return n;
            }

            public int layers() {
                return layers;
            }

            public int k() {
                return k;
            }

            public long id(int row, int layer, int j) {
                return id.at(row, layer, j);
            }
        };
    }

    private static byte[] decode(String base64) throws RecordingException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RecordingException("routed_experts is not valid base64");
        }
    }
}
