package io.moescope.model.diagnosis;

import java.util.ArrayList;
import java.util.List;

/** Divisors, for error messages that suggest valid device and node counts. */
public final class Divisors {

    private Divisors() {}

    /** The divisors of n in ascending order. */
    public static List<Integer> of(int n) {
        List<Integer> out = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                out.add(d);
            }
        }
        return out;
    }

    /** The divisors of n as "1, 2, 4, 8". */
    public static String list(int n) {
        return of(n).toString().replaceAll("[\\[\\]]", "");
    }
}
