package io.moescope.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** All parameters of a model under their Hugging Face tensor names, in a fixed order. */
final class ParamStore {
    private final Map<String, Param> byName = new LinkedHashMap<>();

    Param add(String name, boolean javaGrad, boolean decay, long... shape) {
        Param p = new Param(name, javaGrad, decay, shape);
        if (byName.put(name, p) != null) {
            throw new IllegalStateException("duplicate parameter " + name);
        }
        return p;
    }

    Param get(String name) {
        Param p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    List<Param> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** Normal(0, std) for matrices (std/√(2L) for output projections), ones for norm weights. */
    void initialise(long seed, int layers) {
        Random rnd = new Random(seed);
        double std = 0.02;
        for (Param p : byName.values()) {
            float[] a = p.value.a;
            if (p.shape.length == 1) {
                if (p.name.endsWith("norm.weight")) {
                    java.util.Arrays.fill(a, 1f);
                }
            } else {
                boolean out = p.name.endsWith("o_proj.weight") || p.name.endsWith("down_proj.weight");
                double s = out ? std / Math.sqrt(2.0 * layers) : std;
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (rnd.nextGaussian() * s);
                }
            }
            p.value.push();
        }
    }

    long count() {
        long n = 0;
        for (Param p : byName.values()) {
            n += p.value.length();
        }
        return n;
    }
}
