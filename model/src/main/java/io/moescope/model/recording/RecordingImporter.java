package io.moescope.model.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.Npy;
import io.moescope.model.recording.pickle.PickleException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.recording.pickle.Tensor;
import io.moescope.model.recording.pickle.TorchFile;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.TraceSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports routing recorded by serving engines and other tools into the engine's own trace events, so every
 * diagnosis and view reads them like a live run. The format of each file is recognised from its content:
 * torch.save dumps of SGLang's recorder (stat, per_pass, per_token), .npy/.npz routed-expert arrays, JSON/JSONL
 * (SGLang and vLLM responses with routed experts, MoE Routing Atlas traces, {@code {"logical_count": ...}}) and
 * {@code layer,expert,count} CSV. Bad input fails with one line naming the file; nothing of it is executed.
 */
public final class RecordingImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an import produced. */
    public record Summary(long sequences, long tokens, long countSequences, List<String> formats) {}

    private final ModelShape shape;
    private final PickleLimits limits;

    public RecordingImporter(ModelShape shape, PickleLimits limits) {
        this.shape = shape;
        this.limits = limits;
    }

    /** Imports the files in order into the sink (per_pass rank files of one dump are summed together). */
    public Summary run(List<Path> files, TraceSink sink) throws ModelLoadException {
        return run(files, sink, ImportProgress.NONE);
    }

    /**
     * As {@link #run(List, TraceSink)}, reporting progress; a cancelled import throws
     * {@link java.util.concurrent.CancellationException} and the sink has seen a part of the recording.
     */
    public Summary run(List<Path> files, TraceSink sink, ImportProgress progress) throws ModelLoadException {
        TraceOut out = new TraceOut(shape, sink, "import", progress);
        List<String> formats = new ArrayList<>();
        List<TorchFile> perPass = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                out.file(i, files.size());
                try {
                    formats.add(f.getFileName() + ": " + one(f, out, perPass));
                } catch (RecordingException | PickleException e) {
                    throw ModelLoadException.at(f, e.getMessage());
                } catch (IOException e) {
                    throw ModelLoadException.at(f, "cannot read: " + e.getMessage());
                }
            }
            if (!perPass.isEmpty()) {
                List<Map<?, ?>> roots = new ArrayList<>();
                perPass.forEach(t -> roots.add((Map<?, ?>) t.root()));
                try {
                    SglangDump.perPass(roots, out);
                } catch (RecordingException | PickleException e) {
                    throw ModelLoadException.at(perPass.get(0).file(), e.getMessage());
                }
            }
        } finally {
            for (TorchFile t : perPass) {
                try {
                    t.close();
                } catch (IOException ignored) {
                    // read-only archive: nothing to lose
                }
            }
        }
        out.end();
        out.within(1);
        return new Summary(out.sequences(), out.tokens(), out.countSequences(), formats);
    }

    private String one(Path f, TraceOut out, List<TorchFile> perPass)
            throws ModelLoadException, RecordingException, PickleException, IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(f)) {
            head = in.readNBytes(8);
        }
        if (Npy.isNpy(head)) {
            RoutedExperts.Rows rows = RoutedExperts.npy(Npy.read(f, limits));
            out.begin();
            RoutedExperts.emit(rows, rows.rows(), out);
            out.end();
            return "routed experts (.npy)";
        }
        if (TorchFile.isZip(f) || TorchFile.isPickle(f)) {
            if (TorchFile.isZip(f) && isNpz(f)) {
                return npz(f, out);
            }
            TorchFile t = TorchFile.open(f, limits);
            String mode = SglangDump.mode(t.root());
            if (mode == null && OlmoePickle.matches(t.root())) {
                try (t) {
                    return OlmoePickle.read((List<?>) t.root(), out);
                }
            }
            if (mode == null) {
                t.close();
                throw new RecordingException("holds no recording this importer knows (an SGLang expert-distribution "
                        + "dump is a dict with logical_count, or records and last_physical_to_logical_map; an OLMoE analysis pickle a "
                        + "list of 3 Counters)");
            }
            if (mode.equals("per_pass")) {
                perPass.add(t);
                return "SGLang per_pass dump";
            }
            try (t) {
                if (mode.equals("stat")) {
                    SglangDump.stat((Map<?, ?>) t.root(), out);
                } else {
                    SglangDump.perToken((Map<?, ?>) t.root(), out);
                }
            }
            return "SGLang " + mode + " dump";
        }
        return text(f, out);
    }

    private static boolean isNpz(Path f) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(f.toFile())) {
            return z.stream().anyMatch(e -> e.getName().endsWith(".npy"))
                    && z.stream().noneMatch(e -> e.getName().endsWith("/data.pkl"));
        } catch (java.util.zip.ZipException e) {
            return false;
        }
    }

    private String npz(Path f, TraceOut out) throws ModelLoadException, RecordingException, PickleException {
        Map<String, Tensor> arrays = Npy.readNpz(f, limits);
        Tensor t = arrays.containsKey("routed_experts")
                ? arrays.get("routed_experts")
                : arrays.size() == 1 ? arrays.values().iterator().next() : null;
        if (t == null) {
            throw new RecordingException(".npz without a routed_experts array (has " + arrays.keySet() + ")");
        }
        RoutedExperts.Rows rows = RoutedExperts.npy(t);
        out.begin();
        RoutedExperts.emit(rows, rows.rows(), out);
        out.end();
        return "routed experts (.npz)";
    }

    private String text(Path f, TraceOut out) throws IOException, RecordingException, PickleException {
        String first = firstLine(f);
        if (CountsCsv.looksLike(first)) {
            long size = Files.size(f);
            if (size > limits.maxPickleBytes()) {
                throw new RecordingException("CSV of " + size + " bytes exceeds the limit");
            }
            CountsCsv.read(Files.readAllLines(f, StandardCharsets.UTF_8), out);
            return "layer,expert,count CSV";
        }
        String[] kind = new String[1];
        boolean jsonl = jsonValues(f, limits, n -> kind[0] = json(n, out));
        return jsonl ? kind[0] + " (JSONL)" : kind[0];
    }

    /** What is done with each JSON value of a recording. */
    @FunctionalInterface
    interface JsonVisitor {
        void visit(JsonNode value) throws RecordingException, PickleException;
    }

    /** The first non-blank line of a text file, trimmed; refuses binary and empty files. */
    static String firstLine(Path f) throws IOException, RecordingException {
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    return line.trim();
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new RecordingException("not a recording this importer knows (binary, not .pt/.npy/.npz)");
        }
        throw new RecordingException("empty file");
    }

    /**
     * Visits the JSON values of a text recording: the one value of a JSON file (within the size limit), or each line
     * of a JSONL file (streamed, any size). Returns true for JSONL.
     */
    static boolean jsonValues(Path f, PickleLimits limits, JsonVisitor visitor)
            throws IOException, RecordingException, PickleException {
        long size = Files.size(f);
        List<String> firstLines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while (firstLines.size() < 2 && (line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    firstLines.add(line.trim());
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new RecordingException("not a recording this importer knows (binary, not .pt/.npy/.npz)");
        }
        if (firstLines.isEmpty()) {
            throw new RecordingException("empty file");
        }
        String first = firstLines.get(0);
        if (!first.startsWith("{") && !first.startsWith("[")) {
            throw new RecordingException("not a recording this importer knows (.pt, .npy, .npz, JSON, JSONL or a "
                    + "layer,expert,count CSV)");
        }
        boolean jsonl = first.startsWith("{")
                && first.endsWith("}")
                && firstLines.size() > 1
                && firstLines.get(1).startsWith("{");
        if (!jsonl) {
            if (size > limits.maxPickleBytes()) {
                throw new RecordingException("JSON of " + size + " bytes exceeds the limit; use JSONL");
            }
            visitor.visit(parse(Files.readString(f, StandardCharsets.UTF_8), "the file"));
            return false;
        }
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    visitor.visit(parse(line, "line " + n));
                }
            }
        }
        return true;
    }

    private static JsonNode parse(String text, String where) throws RecordingException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RecordingException(where + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** Dispatches one JSON value by the fields it has. */
    private String json(JsonNode n, TraceOut out) throws RecordingException, PickleException {
        if (n.isArray()) {
            String kind = "empty JSON list";
            for (JsonNode e : n) {
                kind = json(e, out);
            }
            return kind;
        }
        if (n.has("traces")) {
            for (JsonNode t : n.get("traces")) {
                AtlasFormat.read(t, out);
            }
            return "MoE Routing Atlas";
        }
        if (n.has("activations")) {
            AtlasFormat.read(n, out);
            return "MoE Routing Atlas";
        }
        if (n.has("logical_count")) {
            out.counts(SglangDump.moeRows(logicalCount(n.get("logical_count")), out.shape()));
            return "logical_count JSON";
        }
        if (n.has("physical_to_logical_map")) {
            throw new RecordingException("a placement (physical_to_logical_map), not a recording of routing");
        }
        JsonNode meta = n.path("meta_info");
        if (meta.has("routed_experts")) {
            JsonNode r = meta.get("routed_experts");
            RoutedExperts.Rows rows =
                    r.isTextual() ? RoutedExperts.rawInt32(r.asText(), out.shape()) : RoutedExperts.lists(r);
            int prompt = meta.path("prompt_tokens").asInt(rows.rows())
                    - meta.path("routed_experts_start_len").asInt(0);
            out.begin();
            RoutedExperts.emit(rows, prompt, out);
            out.end();
            return "SGLang routed experts";
        }
        if (n.has("choices") || n.has("prompt_routed_experts")) {
            RoutedExperts.Rows prompt = n.has("prompt_routed_experts") ? rows(n.get("prompt_routed_experts")) : null;
            int promptTokens = n.path("usage").path("prompt_tokens").asInt(0);
            for (JsonNode c : n.path("choices")) {
                if (!c.has("routed_experts")) {
                    continue;
                }
                RoutedExperts.Rows gen = rows(c.get("routed_experts"));
                out.begin();
                if (prompt != null) {
                    RoutedExperts.emit(prompt, prompt.rows(), out);
                    RoutedExperts.emit(gen, 0, out);
                } else {
                    RoutedExperts.emit(gen, promptTokens, out);
                }
                out.end();
            }
            return "vLLM routed experts";
        }
        if (n.has("routed_experts")) {
            RoutedExperts.Rows rows = rows(n.get("routed_experts"));
            out.begin();
            RoutedExperts.emit(rows, rows.rows(), out);
            out.end();
            return "vLLM routed experts";
        }
        throw new RecordingException("JSON without routed experts, Atlas traces or logical_count");
    }

    private static RoutedExperts.Rows rows(JsonNode r) throws RecordingException, PickleException {
        return r.isTextual() ? RoutedExperts.npyBase64(r.asText()) : RoutedExperts.lists(r);
    }

    /** [L][E] or [B][L][E] (summed over B) integer lists. */
    private long[][] logicalCount(JsonNode c) throws RecordingException {
        boolean three = c.isArray()
                && c.size() > 0
                && c.get(0).isArray()
                && c.get(0).size() > 0
                && c.get(0).get(0).isArray();
        List<JsonNode> steps = new ArrayList<>();
        if (three) {
            c.forEach(steps::add);
        } else {
            steps.add(c);
        }
        long[][] all = null;
        for (JsonNode step : steps) {
            SglangDump.checkLayers(step.size(), shape, "logical_count");
            if (all == null) {
                all = new long[step.size()][shape.routedExperts()];
            }
            for (int l = 0; l < step.size(); l++) {
                JsonNode row = step.get(l);
                if (!row.isArray() || row.size() != shape.routedExperts()) {
                    throw new RecordingException("logical_count row " + l + " has " + row.size()
                            + " experts, the model " + "config " + shape.routedExperts());
                }
                for (int e = 0; e < row.size(); e++) {
                    if (!row.get(e).canConvertToLong() || row.get(e).asLong() < 0) {
                        throw new RecordingException("logical_count holds " + row.get(e));
                    }
                    all[l][e] += row.get(e).asLong();
                }
            }
        }
        if (all == null) {
            throw new RecordingException("empty logical_count");
        }
        return all;
    }
}
