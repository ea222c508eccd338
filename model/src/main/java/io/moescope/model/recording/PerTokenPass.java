package io.moescope.model.recording;

import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import java.util.List;

/**
 * One request (or pass) of an SGLang per_token dump, from the pass's topk_ids_of_layer [L, T, width] read in one
 * piece: physical slots become logical experts, and the tokens go out as one columnar block when every token
 * routes through every MoE layer with exactly k ids, the rest of the row -1 (the usual case), else token by token (a layer left out for a
 * token). Tokens with no id in any layer are padding of the batch and are skipped either way.
 */
final class PerTokenPass {

    private PerTokenPass() {}

    /**
     * Tokens [from, to) of the pass.
     *
     * @param ids    topk_ids_of_layer flattened, [layer][token][j] over {@code tokens} tokens and {@code width} ids
     * @param map    last_physical_to_logical_map [layer][slot]
     */
    static void segment(
            int[] ids,
            int tokens,
            int width,
            int from,
            int to,
            List<?> inputIds,
            Phase phase,
            long[][] map,
            TraceOut out)
            throws RecordingException {
        ModelShape s = out.shape();
        int layers = s.layerCount();
        int n = to - from;
        int k = s.topK();
        int[] unset = new int[n]; // -1 ids of each token over the MoE layers
        boolean[] odd = new boolean[n]; // a MoE layer without exactly k ids
        for (int layer = 0; layer < layers; layer++) {
            boolean dense = s.moeIndex(layer) < 0;
            int base = (layer * tokens + from) * width;
            for (int t = 0; t < n; t++) {
                int none = 0;
                for (int j = 0; j < width; j++) {
                    int p = ids[base + t * width + j];
                    if (p == -1) {
                        none++;
                    } else if (dense) {
                        slot(p, layer, map);
                        throw new RecordingException(
                                "layer " + layer + " routes tokens but the model config makes it a dense layer");
                    }
                }
                if (!dense) {
                    unset[t] += none;
                    odd[t] |= none != width - k;
                }
            }
        }
        int moeLayers = s.moeLayerCount();
        int kept = 0;
        boolean regular = width >= k;
        for (int t = 0; t < n; t++) {
            if (unset[t] == moeLayers * width) {
                unset[t] = -1; // all -1: a padded slot of the batch
                continue;
            }
            unset[t] = 0;
            kept++;
            regular &= !odd[t];
        }
        if (!regular) {
            tokenByToken(ids, tokens, width, from, to, inputIds, phase, map, out);
            return;
        }
        int[] moe = s.moeLayers();
        int[][] experts = new int[moeLayers][kept * k];
        int[] tokenIds = new int[kept];
        for (int i = 0; i < moeLayers; i++) {
            int layer = moe[i];
            long[] slots = map[layer];
            int[] column = experts[i];
            int c = 0;
            for (int t = 0; t < n; t++) {
                if (unset[t] != 0) {
                    continue;
                }
                int base = (layer * tokens + from + t) * width;
                for (int j = 0; j < width; j++) {
                    int p = ids[base + j];
                    if (p != -1) {
                        column[c++] = (int) slots[slot(p, layer, map)];
                    }
                }
            }
        }
        int c = 0;
        for (int t = 0; t < n; t++) {
            if (unset[t] == 0) {
                tokenIds[c++] = (int) (long) (Long) inputIds.get(from + t);
            }
        }
        out.block(tokenIds, phase, experts);
    }

    /** A physical slot of the layer's placement, checked. */
    private static int slot(int p, int layer, long[][] map) throws RecordingException {
        if (p < 0 || p >= map[layer].length) {
            throw new RecordingException(
                    "physical slot " + p + " in layer " + layer + " is outside [0, " + map[layer].length + ")");
        }
        return p;
    }

    /** The general case: each token with the layers it was routed through (a missing layer is a null row). */
    private static void tokenByToken(
            int[] ids,
            int tokens,
            int width,
            int from,
            int to,
            List<?> inputIds,
            Phase phase,
            long[][] map,
            TraceOut out)
            throws RecordingException {
        ModelShape s = out.shape();
        int[][] experts = new int[s.moeLayerCount()][];
        int[] row = new int[width];
        for (int t = from; t < to; t++) {
            java.util.Arrays.fill(experts, null);
            boolean any = false;
            for (int layer = 0; layer < s.layerCount(); layer++) {
                int i = s.moeIndex(layer);
                int n = 0;
                for (int j = 0; j < width; j++) {
                    int p = ids[(layer * tokens + t) * width + j];
                    if (p != -1) {
                        row[n++] = (int) map[layer][slot(p, layer, map)];
                    }
                }
                if (i >= 0 && n > 0) {
                    experts[i] = n == width ? row.clone() : java.util.Arrays.copyOf(row, n);
                    any = true;
                }
            }
            if (any) {
                out.token((int) (long) (Long) inputIds.get(t), phase, experts, null);
            }
        }
    }
}
