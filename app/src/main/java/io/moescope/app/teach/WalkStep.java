package io.moescope.app.teach;

import java.util.List;

/**
 * One step of the walkthrough of a token through an MoE layer: what it computes (its formula), the real values
 * (bars per expert or per chosen expert, vectors as heat strips) and a note naming the architecture's own variant.
 *
 * @param kind         which step
 * @param title        short heading
 * @param formula      the step's formula in plain Unicode
 * @param note         what this model does here, in words, with its numbers
 * @param bars         bar groups, drawn in order
 * @param strips       vectors, drawn as heat strips, in order
 * @param needsWeights true where the step's vectors need the model's weights and only a trace is open (the step
 *                     then shows what the trace has and says so in its note)
 */
public record WalkStep(
        Kind kind,
        String title,
        String formula,
        String note,
        List<Bars> bars,
        List<Strip> strips,
        boolean needsWeights) {

    /** The steps, in the order the walkthrough takes them. */
    public enum Kind {
        HIDDEN_IN,
        LOGITS,
        SCORES,
        SELECTION,
        TOP_K,
        WEIGHTS,
        EXPERT_OUTPUTS,
        COMBINE,
        RESIDUAL;

        /** The kind a user wrote ("top-k", "expert outputs", "COMBINE"), or null if none is called that. */
        public static Kind parse(String text) {
            String name = text.trim()
                    .toUpperCase(java.util.Locale.ROOT)
                    .replace('-', '_')
                    .replace(' ', '_');
            for (Kind k : values()) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
            return null;
        }

        /** Every kind as a user writes it: "hidden-in, logits, …, residual". */
        public static String spellings() {
            return String.join(
                    ", ",
                    java.util.Arrays.stream(values())
                            .map(k ->
                                    k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                            .toList());
        }
    }

    public WalkStep {
        bars = List.copyOf(bars);
        strips = List.copyOf(strips);
    }

    /**
     * One bar per item (an expert, or a chosen expert).
     *
     * @param label  what the bars are
     * @param names  one label per bar (E0, E1, … or the chosen experts' names)
     * @param values one value per bar
     * @param chosen bars to mark as chosen
     * @param masked bars that could not be chosen (group mask, ablation), drawn dimmed
     */
    public record Bars(String label, String[] names, float[] values, boolean[] chosen, boolean[] masked) {
        public Bars {
            if (names.length != values.length || chosen.length != values.length || masked.length != values.length) {
                throw new IllegalArgumentException("bars need one name, value and mark each");
            }
            names = names.clone();
            values = values.clone();
            chosen = chosen.clone();
            masked = masked.clone();
        }

        @Override
        public String[] names() {
            return names.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        @Override
        public boolean[] chosen() {
            return chosen.clone();
        }

        @Override
        public boolean[] masked() {
            return masked.clone();
        }

        public int size() {
            return values.length;
        }

        public float value(int i) {
            return values[i];
        }

        public String name(int i) {
            return names[i];
        }

        public boolean isChosen(int i) {
            return chosen[i];
        }

        public boolean isMasked(int i) {
            return masked[i];
        }
    }

    /** A vector of the hidden size, drawn as a diverging heat strip around 0. */
    public record Strip(String label, float[] values) {
        public Strip {
            values = values.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        public int size() {
            return values.length;
        }

        public float value(int i) {
            return values[i];
        }

        /** Euclidean norm. */
        public double norm() {
            double ss = 0;
            for (float v : values) {
                ss += (double) v * v;
            }
            return Math.sqrt(ss);
        }
    }
}
