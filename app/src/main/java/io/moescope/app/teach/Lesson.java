package io.moescope.app.teach;

import io.moescope.model.api.Intervention;
import java.util.List;

/**
 * A guided sequence for teaching, read from a lesson file (docs/teaching.md describes the format). Each step
 * changes only what it names; the rest carries over from the step before.
 *
 * @param file  the file's name, for messages
 * @param title shown above the notes
 * @param model "embedded" or a model directory (relative to the lesson's folder or to the MoE Scope home)
 * @param steps in order, at least one
 */
public record Lesson(String file, String title, String model, List<Step> steps) {

    public Lesson {
        steps = List.copyOf(steps);
    }

    /**
     * One step; null (or -1) fields keep the previous step's value.
     *
     * @param note         the text to show (required)
     * @param prompt       text to generate from (greedy)
     * @param maxTokens    tokens to generate, -1 to keep
     * @param view         a tab name: gate, load, shared, compare, diagnosis, walk
     * @param layer        decoder layer (an MoE layer), -1 to keep
     * @param token        absolute position of the token, -1 to keep
     * @param walk         the walkthrough step (a {@link WalkStep.Kind}), or null
     * @param intervention routing change for the generation, or null to keep
     * @param balance      what this step does to the balancing demo (one of {@link #BALANCE_ACTIONS}), or null;
     *                     not carried over: an action happens at its own step
     */
    public record Step(
            String note,
            String prompt,
            int maxTokens,
            String view,
            int layer,
            int token,
            WalkStep.Kind walk,
            Intervention intervention,
            String balance) {}

    /** The balancing demo actions a step may name: replay the shipped logs, start / pause / resume / stop live. */
    public static final java.util.Set<String> BALANCE_ACTIONS =
            java.util.Set.of("replay", "start", "pause", "resume", "stop");

    /** What a step shows once the steps before it are applied: every field filled. */
    public record State(
            String note,
            String prompt,
            int maxTokens,
            String view,
            int layer,
            int token,
            WalkStep.Kind walk,
            Intervention intervention,
            String balance) {

        /** The balancing view needs no model and no run. */
        public boolean needsRun() {
            return !"balance".equals(view);
        }
    }

    /** Step {@code index} with what the steps before it set (defaults: 16 tokens, the walkthrough, no change). */
    public State state(int index) {
        String prompt = null;
        int maxTokens = 16;
        String view = "walk";
        int layer = -1;
        int token = -1;
        WalkStep.Kind walk = null;
        Intervention iv = Intervention.NONE;
        for (int i = 0; i <= index; i++) {
            Step s = steps.get(i);
            prompt = s.prompt() != null ? s.prompt() : prompt;
            maxTokens = s.maxTokens() >= 0 ? s.maxTokens() : maxTokens;
            view = s.view() != null ? s.view() : view;
            layer = s.layer() >= 0 ? s.layer() : layer;
            token = s.token() >= 0 ? s.token() : token;
            walk = s.walk() != null ? s.walk() : walk;
            iv = s.intervention() != null ? s.intervention() : iv;
        }
        return new State(
                steps.get(index).note(),
                prompt,
                maxTokens,
                view,
                layer,
                token,
                walk,
                iv,
                steps.get(index).balance());
    }
}
