package io.moescope.model.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A change to the model's routing, asked for by a caller (app, CLI): ablate experts (never selected), force an
 * expert set, override top-k, switch the always-on parts off. Layers are decoder layer indices. {@link #NONE} changes
 * nothing. Public API, and the one type for it: the layers read the same record a caller builds.
 *
 * @param ablated   layer → experts that may not be selected
 * @param forced    layer → experts that are selected instead of the router's top-k (weights still from the router)
 * @param topK      experts per token for every MoE layer; 0 keeps the model's own
 * @param alwaysOnOff true to drop every always-on part (the trace header's {@code always_on}): the shared experts
 *                  (gated or not) and a parallel dense MLP of each MoE layer, and the whole FFN of each dense layer
 *                  (its output becomes 0, so the layer passes its residual stream through after attention)
 */
public record Intervention(
        Map<Integer, Set<Integer>> ablated, Map<Integer, int[]> forced, int topK, boolean alwaysOnOff) {

    public static final Intervention NONE = new Intervention(Map.of(), Map.of(), 0, false);

    public Intervention {
        TreeMap<Integer, Set<Integer>> a = new TreeMap<>();
        ablated.forEach((k, v) -> a.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
        ablated = Collections.unmodifiableMap(a);
        TreeMap<Integer, int[]> f = new TreeMap<>();
        forced.forEach((k, v) -> f.put(k, v.clone()));
        forced = Collections.unmodifiableMap(f);
        if (topK < 0) {
            throw new IllegalArgumentException(
                    "top-k override must be positive (or 0 for the model's own), got " + topK);
        }
    }

    /** layer → forced experts; each array a copy. */
    @Override
    public Map<Integer, int[]> forced() {
        TreeMap<Integer, int[]> f = new TreeMap<>();
        forced.forEach((k, v) -> f.put(k, v.clone()));
        return Collections.unmodifiableMap(f);
    }

    public boolean isNone() {
        return ablated.isEmpty() && forced.isEmpty() && topK == 0 && !alwaysOnOff;
    }

    public Set<Integer> ablatedIn(int layer) {
        return ablated.getOrDefault(layer, Set.of());
    }

    /** Forced experts for a layer, or null. */
    public int[] forcedIn(int layer) {
        int[] f = forced.get(layer);
        return f == null ? null : f.clone();
    }

    public Intervention withAblation(int layer, int... experts) {
        TreeMap<Integer, Set<Integer>> a = new TreeMap<>(ablated);
        TreeSet<Integer> s = new TreeSet<>(a.getOrDefault(layer, Set.of()));
        for (int e : experts) {
            s.add(e);
        }
        a.put(layer, s);
        return new Intervention(a, forced, topK, alwaysOnOff);
    }

    public Intervention withForced(int layer, int... experts) {
        TreeMap<Integer, int[]> f = new TreeMap<>(forced);
        f.put(layer, experts.clone());
        return new Intervention(ablated, f, topK, alwaysOnOff);
    }

    public Intervention withTopK(int k) {
        return new Intervention(ablated, forced, k, alwaysOnOff);
    }

    public Intervention withAlwaysOnOff(boolean off) {
        return new Intervention(ablated, forced, topK, off);
    }

    /** Same changes (forced arrays compared by content). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Intervention i)
                || i.topK != topK
                || i.alwaysOnOff != alwaysOnOff
                || !i.ablated.equals(ablated)
                || !i.forced.keySet().equals(forced.keySet())) {
            return false;
        }
        return forced.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), i.forced.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return ablated.hashCode() * 31 + forced.keySet().hashCode() * 7 + topK + (alwaysOnOff ? 1 : 0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Intervention[");
        ablated.forEach((l, s) -> sb.append(" ablate L").append(l).append(s));
        forced.forEach((l, s) -> sb.append(" force L").append(l).append(Arrays.toString(s)));
        if (topK > 0) {
            sb.append(" top-k=").append(topK);
        }
        if (alwaysOnOff) {
            sb.append(" always-on off");
        }
        return sb.append(" ]").toString();
    }
}
