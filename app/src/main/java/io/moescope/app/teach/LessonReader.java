package io.moescope.app.teach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.api.Intervention;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a lesson file (JSON, format in docs/teaching.md). Every problem is one line that names the file:
 * {@code one-token.json: step 2: "layer" must be a whole number ≥ 0}. Files over 1 MB are refused unread.
 */
public final class LessonReader {

    /** A lesson is a page of notes; anything larger is not one. */
    static final long MAX_BYTES = 1 << 20;

    static final Set<String> VIEWS =
            Set.of("gate", "load", "shared", "compare", "diagnosis", "walk", "balance", "granularity");
    private static final Set<String> TOP = Set.of("lesson", "title", "model", "steps");
    private static final Set<String> STEP =
            Set.of("note", "prompt", "maxTokens", "view", "layer", "token", "walk", "intervention", "balance");
    private static final Set<String> INTERVENTION = Set.of("ablate", "force", "topK", "sharedOff");

    /** A lesson file that cannot be used; the message names the file. */
    public static final class LessonException extends Exception {
        private static final long serialVersionUID = 1L;

        /** One line, bounded: the message quotes the lesson's own text (a field name, a step), which may be long. */
        LessonException(String message) {
            super(ModelLoadException.oneLineExcerpt(message));
        }
    }

    private LessonReader() {}

    public static Lesson read(Path file) throws LessonException {
        String name = String.valueOf(file.getFileName());
        try {
            if (!Files.isRegularFile(file)) {
                throw new LessonException(name + ": no such file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new LessonException(name + ": " + Files.size(file) + " bytes is too large for a lesson");
            }
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            throw new LessonException(name + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    public static Lesson parse(String name, String json) throws LessonException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new LessonException(
                    name + ": not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new LessonException(name + ": a lesson is a JSON object with \"title\" and \"steps\"");
        }
        unknown(name, "", root, TOP);
        if (root.path("lesson").asInt(1) != 1) {
            throw new LessonException(name + ": lesson format "
                    + root.path("lesson").asText() + " is newer than this MoE Scope reads (1)");
        }
        String title = text(name, "", root, "title", true);
        String model = text(name, "", root, "model", false);
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw new LessonException(name + ": \"steps\" must be a non-empty list");
        }
        List<Lesson.Step> list = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            list.add(step(name, "step " + (i + 1) + ": ", steps.get(i)));
        }
        Lesson lesson = new Lesson(name, title, model == null ? "embedded" : model, list);
        for (int i = 0; i < list.size(); i++) {
            Lesson.State st = lesson.state(i);
            if (st.needsRun() && st.prompt() == null) {
                throw new LessonException(name + ": step " + (i + 1) + ": needs a \"prompt\" (what the lesson runs)");
            }
            if (st.balance() != null && st.needsRun()) {
                throw new LessonException(name + ": step " + (i + 1) + ": \"balance\" needs \"view\": \"balance\"");
            }
        }
        return lesson;
    }

    private static Lesson.Step step(String name, String where, JsonNode s) throws LessonException {
        if (!s.isObject()) {
            throw new LessonException(name + ": " + where + "must be an object");
        }
        unknown(name, where, s, STEP);
        String view = text(name, where, s, "view", false);
        if (view != null && !VIEWS.contains(view)) {
            throw new LessonException(name + ": " + where + "unknown view \"" + view + "\" (one of "
                    + String.join(", ", new java.util.TreeSet<>(VIEWS)) + ")");
        }
        String balance = text(name, where, s, "balance", false);
        if (balance != null && !Lesson.BALANCE_ACTIONS.contains(balance)) {
            throw new LessonException(name + ": " + where + "unknown balancing action \"" + balance + "\" (one of "
                    + String.join(", ", new java.util.TreeSet<>(Lesson.BALANCE_ACTIONS)) + ")");
        }
        int maxTokens = count(name, where, s, "maxTokens");
        if (maxTokens > 4096) {
            throw new LessonException(name + ": " + where + "\"maxTokens\" " + maxTokens + " is more than 4096");
        }
        String walk = text(name, where, s, "walk", false);
        WalkStep.Kind kind = null;
        if (walk != null) {
            kind = WalkStep.Kind.parse(walk);
            if (kind == null) {
                throw new LessonException(name + ": " + where + "unknown walkthrough step \"" + walk + "\" (one of "
                        + WalkStep.Kind.spellings() + ")");
            }
        }
        return new Lesson.Step(
                text(name, where, s, "note", true),
                text(name, where, s, "prompt", false),
                maxTokens,
                view,
                count(name, where, s, "layer"),
                count(name, where, s, "token"),
                kind,
                intervention(name, where, s.get("intervention")),
                balance);
    }

    private static Intervention intervention(String name, String where, JsonNode n) throws LessonException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new LessonException(name + ": " + where + "\"intervention\" must be an object");
        }
        unknown(name, where + "intervention: ", n, INTERVENTION);
        Intervention iv = Intervention.NONE;
        for (Map.Entry<Integer, int[]> e : layerMap(name, where, n, "ablate").entrySet()) {
            iv = iv.withAblation(e.getKey(), e.getValue());
        }
        for (Map.Entry<Integer, int[]> e : layerMap(name, where, n, "force").entrySet()) {
            iv = iv.withForced(e.getKey(), e.getValue());
        }
        int k = count(name, where, n, "topK");
        iv = k > 0 ? iv.withTopK(k) : iv;
        JsonNode off = n.get("sharedOff");
        if (off != null && !off.isBoolean()) {
            throw new LessonException(name + ": " + where + "\"sharedOff\" must be true or false");
        }
        return off != null && off.asBoolean() ? iv.withAlwaysOnOff(true) : iv;
    }

    /** {"1": [3, 5]}: decoder layer → experts. */
    private static Map<Integer, int[]> layerMap(String name, String where, JsonNode n, String key)
            throws LessonException {
        Map<Integer, int[]> out = new java.util.TreeMap<>();
        JsonNode m = n.get(key);
        if (m == null) {
            return out;
        }
        String bad = name + ": " + where + "\"" + key + "\" must map layers to expert lists, e.g. {\"1\": [3]}";
        if (!m.isObject()) {
            throw new LessonException(bad);
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("\\d{1,4}")
                    || !e.getValue().isArray()
                    || e.getValue().size() > 1024) {
                throw new LessonException(bad);
            }
            int[] experts = new int[e.getValue().size()];
            for (int i = 0; i < experts.length; i++) {
                JsonNode x = e.getValue().get(i);
                if (!x.canConvertToInt() || !x.isIntegralNumber() || x.asInt() < 0) {
                    throw new LessonException(bad);
                }
                experts[i] = x.asInt();
            }
            out.put(Integer.parseInt(e.getKey()), experts);
        }
        return out;
    }

    private static String text(String name, String where, JsonNode n, String key, boolean required)
            throws LessonException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new LessonException(name + ": " + where + "missing \"" + key + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new LessonException(name + ": " + where + "\"" + key + "\" must be text");
        }
        return v.asText();
    }

    /** A whole number ≥ 0, or -1 where absent. */
    private static int count(String name, String where, JsonNode n, String key) throws LessonException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new LessonException(name + ": " + where + "\"" + key + "\" must be a whole number ≥ 0");
        }
        return v.asInt();
    }

    private static void unknown(String name, String where, JsonNode n, Set<String> known) throws LessonException {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new LessonException(name + ": " + where + "unknown field \"" + f + "\"");
            }
        }
    }
}
