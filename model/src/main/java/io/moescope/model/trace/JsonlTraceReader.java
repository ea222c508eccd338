package io.moescope.model.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Replays a moescope-trace JSONL file into trace events, validating each line. */
public final class JsonlTraceReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlTraceReader() {}

    /** Reads every event of the file into a list (sequence ids are numbered 1.. per header). */
    public static List<TraceEvent> readAll(Path file) throws TraceFormatException, IOException {
        List<TraceEvent> out = new ArrayList<>();
        read(file, out::add);
        return out;
    }

    /** Streams the events of the file to the sink. */
    public static void read(Path file, java.util.function.Consumer<TraceEvent> sink)
            throws TraceFormatException, IOException {
        readWhile(file, e -> {
            sink.accept(e);
            return true;
        });
    }

    /**
     * Streams the events of the file to the sink until it returns false; the rest of the file is not read (nor
     * validated). Returns true if the whole file was read.
     */
    public static boolean readWhile(Path file, java.util.function.Predicate<TraceEvent> sink)
            throws TraceFormatException, IOException {
        long seq = 0;
        ModelShape shape = null;
        int lineNo = 0;
        if (Files.isDirectory(file)) {
            throw new TraceFormatException(file + ": is a folder, not a trace file");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = nextLine(in, file, lineNo + 1)) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + lineNo + ": ";
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new TraceFormatException(where + "not valid JSON (" + e.getOriginalMessage() + ")");
                }
                String type = n.path("type").asText("");
                if (type.equals("header")) {
                    if (!JsonlTraceWriter.FORMAT.equals(n.path("format").asText())) {
                        throw new TraceFormatException(where + "not a moescope-trace header");
                    }
                    int version = n.path("version").asInt();
                    if (version < JsonlTraceWriter.OLDEST_VERSION || version > JsonlTraceWriter.VERSION) {
                        throw new TraceFormatException(where + "trace version " + version + " is not supported (this "
                                + "build reads versions " + JsonlTraceWriter.OLDEST_VERSION + " to "
                                + JsonlTraceWriter.VERSION + ")");
                    }
                    shape = shape(n, version, where);
                    if (!sink.test(new SequenceStarted(++seq, shape))) {
                        return false;
                    }
                    continue;
                }
                if (shape == null) {
                    throw new TraceFormatException(where + "the first line must be a moescope-trace header");
                }
                TraceEvent e = event(type, n, seq, shape, where);
                if (e != null && !sink.test(e)) {
                    return false;
                }
            }
        } catch (CharacterCodingException e) { // the reader decodes ahead, so the bad bytes are after lineNo
            throw new TraceFormatException(file + ": not UTF-8 text (malformed bytes after line " + lineNo + ")");
        }
        if (shape == null) {
            throw new TraceFormatException(file + ": empty trace (no header line)");
        }
        return true;
    }

    /** The next line; bytes that are not UTF-8 (a binary file, Latin-1, UTF-16) are a format error naming the line. */
    private static String nextLine(BufferedReader in, Path file, int lineNo) throws IOException, TraceFormatException {
        try {
            return in.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TraceFormatException(file + ":" + lineNo + ": not UTF-8 text (a binary file, or another "
                    + "encoding such as Latin-1 or UTF-16)");
        }
    }

    /** Decoder layers a header may claim: per-layer lists are sized by it (real models have ≤ 200). */
    private static final int MAX_LAYERS = 1 << 16;

    private static ModelShape shape(JsonNode n, int version, String where) throws TraceFormatException {
        try {
            String type = n.path("model_type").asText();
            int layers = n.path("num_layers").asInt();
            if (layers > MAX_LAYERS) { // before anything is sized by it
                throw new TraceFormatException(where + "num_layers " + layers + " is more than a model has");
            }
            int[] moe = ints(n.get("moe_layers"), where, "moe_layers");
            int shared = n.path("shared_experts").asInt();
            List<AlwaysOnPart> alwaysOn = version >= 3
                    ? alwaysOn(n.get("always_on"), layers, where)
                    : AlwaysOnPart.fromLegacy(type, layers, moe, shared); // versions 1-2: from the shared count
            return new ModelShape(
                    type,
                    layers,
                    moe,
                    n.path("routed_experts").asInt(),
                    shared,
                    n.path("top_k").asInt(),
                    n.path("vocab_size").asInt(),
                    n.path("expert_groups").asInt(1), // absent in traces written before the field existed
                    mixers(n, layers, where),
                    alwaysOn);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(where + "inconsistent header: " + e.getMessage());
        }
    }

    /** The version-3 header's {@code always_on}: one {kind, count?, name} object per decoder layer. */
    private static List<AlwaysOnPart> alwaysOn(JsonNode a, int layers, String where) throws TraceFormatException {
        if (a == null || !a.isArray()) {
            throw new TraceFormatException(where + "a version-3 header needs \"always_on\", one entry per layer");
        }
        if (a.size() != layers) { // checked before the loop: the list is never longer than the header justifies
            throw new TraceFormatException(
                    where + "\"always_on\" has " + a.size() + " entries but num_layers is " + layers);
        }
        List<AlwaysOnPart> out = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            AlwaysOnPart.Kind kind = AlwaysOnPart.Kind.fromWire(e.path("kind").asText(""));
            int count = kind == AlwaysOnPart.Kind.NONE ? 0 : e.path("count").asInt(1);
            out.add(new AlwaysOnPart(kind, count, e.path("name").asText("")));
        }
        return out;
    }

    /**
     * token_mixers if present; else the older linear_attention_layers (traces of Gated DeltaNet models written before
     * token_mixers existed); else every layer is attention.
     */
    private static TokenMixer[] mixers(JsonNode n, int layers, String where) throws TraceFormatException {
        JsonNode a = n.get("token_mixers");
        if (a == null) {
            int[] linear = n.has("linear_attention_layers")
                    ? ints(n.get("linear_attention_layers"), where, "linear_attention_layers")
                    : new int[0];
            return ModelShape.linearMixers(layers, linear);
        }
        if (!a.isArray() || a.size() != layers) {
            throw new TraceFormatException(where + "\"token_mixers\" must list one mixer per layer (" + layers + ")");
        }
        TokenMixer[] out = new TokenMixer[a.size()];
        for (int l = 0; l < out.length; l++) {
            out[l] = TokenMixer.ofLabel(a.get(l).asText(""));
            if (out[l] == null) {
                throw new TraceFormatException(where + "\"token_mixers\"[" + l + "] is '"
                        + a.get(l).asText() + "'; mixers are attention, linear_attention or short_conv");
            }
        }
        return out;
    }

    private static TraceEvent event(String type, JsonNode n, long seq, ModelShape shape, String where)
            throws TraceFormatException {
        int pos = n.path("position").asInt(-1);
        switch (type) {
            case "routing": {
                int layer = n.path("layer").asInt(-1);
                if (!shape.isMoeLayer(layer)) {
                    throw new TraceFormatException(where + "layer " + layer + " is not an MoE layer of the header");
                }
                float[] scores = floats(n.get("scores"), where, "scores");
                if (scores.length != shape.routedExperts() && scores.length != 0) { // 0: an imported recording
                    throw new TraceFormatException(
                            where + scores.length + " scores but the header has " + shape.routedExperts() + " experts");
                }
                int[] experts = ints(n.get("experts"), where, "experts");
                for (int e : experts) {
                    if (e < 0 || e >= shape.routedExperts()) {
                        throw new TraceFormatException(where + "expert " + e + " out of range");
                    }
                }
                JsonNode gate = n.get("shared_gate");
                try {
                    return new RoutingDecision(
                            seq,
                            pos,
                            layer,
                            floats(n.get("router_logits"), where, "router_logits"),
                            scores,
                            n.has("selection_scores")
                                    ? floats(n.get("selection_scores"), where, "selection_scores")
                                    : null,
                            n.has("kept_groups") ? ints(n.get("kept_groups"), where, "kept_groups") : null,
                            experts,
                            floats(n.get("weights"), where, "weights"),
                            floatOrNaN(n.get("routed_norm")),
                            floatOrNaN(n.get("shared_norm")),
                            gate == null || gate.isNull() ? Float.NaN : (float) gate.asDouble());
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(where + e.getMessage());
                }
            }
            case "dense": {
                int layer = n.path("layer").asInt(-1);
                if (layer < 0 || layer >= shape.layerCount() || shape.isMoeLayer(layer)) {
                    throw new TraceFormatException(where + "layer " + layer + " is not a dense layer of the header");
                }
                return new DenseLayerOutput(seq, pos, layer, floatOrNaN(n.get("ffn_norm")));
            }
            case "counts": {
                int layer = n.path("layer").asInt(-1);
                if (!shape.isMoeLayer(layer)) {
                    throw new TraceFormatException(where + "layer " + layer + " is not an MoE layer of the header");
                }
                long[] counts = longs(n.get("counts"), where);
                if (counts.length != shape.routedExperts()) {
                    throw new TraceFormatException(
                            where + counts.length + " counts but the header has " + shape.routedExperts() + " experts");
                }
                try {
                    return new ExpertCounts(seq, layer, counts);
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(where + e.getMessage());
                }
            }
            case "token":
                try {
                    Phase phase = Phase.fromWire(n.path("phase").asText("prefill"));
                    long time = n.has("t_ns") ? n.get("t_ns").asLong(-2) : TokenEmitted.UNTIMED; // new in version 2
                    if (time < 0 && n.has("t_ns")) {
                        throw new TraceFormatException(where + "\"t_ns\" must be ≥ 0, got " + time);
                    }
                    return new TokenEmitted(
                            seq,
                            pos,
                            n.path("id").asInt(),
                            n.path("text").asText(""),
                            phase,
                            time,
                            fromTemplate(n, phase, where));
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(
                            where + "unknown phase '" + n.path("phase").asText() + "'");
                }
            case "logits":
                return new LogitsRecorded(seq, pos, floats(n.get("values"), where, "values"));
            case "end":
                try {
                    return new SequenceFinished(
                            seq,
                            n.path("positions").asInt(),
                            StopReason.fromWire(n.path("reason").asText("")));
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(where + e.getMessage());
                }
            default:
                throw new TraceFormatException(where + "unknown line type '" + type + "'");
        }
    }

    /** The optional {@code source} of a token line: "template" (a chat template wrote it) or "user"; absent = user. */
    private static boolean fromTemplate(JsonNode n, Phase phase, String where) throws TraceFormatException {
        JsonNode source = n.get("source");
        if (source == null || "user".equals(source.asText(null))) {
            return false;
        }
        if (!"template".equals(source.asText(null))) {
            throw new TraceFormatException(where + "\"source\" must be \"template\" or \"user\", got " + source);
        }
        if (phase != Phase.PREFILL) {
            throw new TraceFormatException(where + "a generated token cannot come from the chat template");
        }
        return true;
    }

    private static float[] floats(JsonNode a, String where, String field) throws TraceFormatException {
        if (a == null || !a.isArray()) {
            throw new TraceFormatException(where + "\"" + field + "\" must be an array of numbers");
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNull() ? Float.NaN : (float) a.get(i).asDouble();
        }
        return out;
    }

    private static float floatOrNaN(JsonNode v) {
        return v == null || v.isNull() ? Float.NaN : (float) v.asDouble();
    }

    private static long[] longs(JsonNode a, String where) throws TraceFormatException {
        if (a == null || !a.isArray()) {
            throw new TraceFormatException(where + "\"counts\" must be an array of integers");
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isIntegralNumber() || !a.get(i).canConvertToLong()) {
                throw new TraceFormatException(where + "\"counts\" must be an array of integers");
            }
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static int[] ints(JsonNode a, String where, String field) throws TraceFormatException {
        if (a == null || !a.isArray()) {
            throw new TraceFormatException(where + "\"" + field + "\" must be an array of integers");
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
