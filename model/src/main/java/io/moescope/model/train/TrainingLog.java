package io.moescope.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.base.AtomicFiles;
import io.moescope.model.io.ModelLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * training_log.jsonl: one JSON object per logged step, written by {@link Trainer} and read back by
 * {@link #read(Path)} (the balancing demo replays the shipped models' logs).
 */
public final class TrainingLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounds on what a log line may describe, so a bad file cannot ask for large arrays. */
    static final int MAX_LAYERS = 1024;

    static final int MAX_EXPERTS = 4096;
    private final Path file;

    TrainingLog(Path file) {
        this.file = file;
    }

    void append(StepReport r) throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", r.step());
        o.put("loss", r.loss());
        o.put("domain_loss", r.domainLoss());
        o.put("balance_loss", r.balanceLoss());
        o.put("lr", r.lr());
        o.put("grad_norm", r.gradNorm());
        o.put("tokens_per_s", r.tokensPerSecond());
        o.put("step_ms", r.stepMillis());
        Map<String, Object> loads = new LinkedHashMap<>();
        Map<String, Object> ratio = new LinkedHashMap<>();
        for (int l = 0; l < r.loads().length; l++) {
            if (r.loads()[l].length > 0) {
                loads.put(Integer.toString(l), r.loads()[l]);
                ratio.put(Integer.toString(l), r.imbalance()[l]);
            }
        }
        o.put("expert_load", loads);
        o.put("max_over_mean", ratio);
        Files.writeString(
                file,
                JSON.writeValueAsString(o) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Drops lines logged after {@code step} (written after the checkpoint a resumed run starts from). */
    void truncateAfter(int step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                keep.add(line);
            }
        }
        AtomicFiles.write(file, out -> {
            for (String line : keep) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Reads a training log back as reports, in file order. Fields a line lacks read as NaN (numbers) or empty
     * (domain losses, loads); {@code totalSteps} is the last step of the file. Every problem is one line naming
     * the file: {@code training_log.jsonl: line 3: "step" must be a whole number ≥ 1}.
     */
    public static List<StepReport> read(Path file) throws ModelLoadException {
        List<StepReport> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            int previous = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                StepReport r = parse(file, lineNo, line);
                if (r.step() <= previous) {
                    throw ModelLoadException.at(
                            file, "line " + lineNo + ": step " + r.step() + " after step " + previous);
                }
                previous = r.step();
                out.add(r);
            }
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read it (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw ModelLoadException.at(file, "no logged steps");
        }
        int last = out.get(out.size() - 1).step();
        List<StepReport> done = new ArrayList<>(out.size());
        for (StepReport r : out) {
            done.add(new StepReport(
                    r.step(),
                    last,
                    r.loss(),
                    r.domainLoss(),
                    r.balanceLoss(),
                    r.tokensPerSecond(),
                    r.stepMillis(),
                    r.lr(),
                    r.gradNorm(),
                    r.imbalance(),
                    r.loads()));
        }
        return done;
    }

    private static StepReport parse(Path file, int lineNo, String line) throws ModelLoadException {
        String where = "line " + lineNo + ": ";
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw ModelLoadException.at(file, where + "not valid JSON");
        }
        if (o == null || !o.isObject()) {
            throw ModelLoadException.at(file, where + "each line must be a JSON object");
        }
        JsonNode step = o.get("step");
        if (step == null || !step.canConvertToInt() || !step.isIntegralNumber() || step.asInt() < 1) {
            throw ModelLoadException.at(file, where + "\"step\" must be a whole number ≥ 1");
        }
        Map<String, Double> domains = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = o.path("domain_loss").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            domains.put(e.getKey(), number(file, where, e.getValue(), "domain_loss"));
        }
        JsonNode loads = o.path("expert_load");
        int layers = 0;
        Iterator<String> names = loads.fieldNames();
        while (names.hasNext()) {
            layers = Math.max(layers, layer(file, where, names.next()) + 1);
        }
        int[][] load = new int[layers][0];
        double[] ratio = new double[layers];
        it = loads.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int l = layer(file, where, e.getKey());
            JsonNode a = e.getValue();
            if (!a.isArray() || a.size() > MAX_EXPERTS) {
                throw ModelLoadException.at(
                        file,
                        where + "expert_load of layer " + l + " must be a list of at most " + MAX_EXPERTS + " counts");
            }
            load[l] = new int[a.size()];
            for (int i = 0; i < a.size(); i++) {
                JsonNode c = a.get(i);
                if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 0) {
                    throw ModelLoadException.at(file, where + "expert_load of layer " + l + " must hold counts ≥ 0");
                }
                load[l][i] = c.asInt();
            }
            ratio[l] = Metrics.maxOverMean(load[l]);
        }
        return new StepReport(
                step.asInt(),
                step.asInt(),
                number(file, where, o.get("loss"), "loss"),
                domains,
                number(file, where, o.get("balance_loss"), "balance_loss"),
                number(file, where, o.get("tokens_per_s"), "tokens_per_s"),
                number(file, where, o.get("step_ms"), "step_ms"),
                number(file, where, o.get("lr"), "lr"),
                number(file, where, o.get("grad_norm"), "grad_norm"),
                ratio,
                load);
    }

    private static int layer(Path file, String where, String key) throws ModelLoadException {
        if (!key.matches("\\d{1,4}") || Integer.parseInt(key) >= MAX_LAYERS) {
            throw ModelLoadException.at(
                    file, where + "expert_load key \"" + key + "\" is not a layer number below " + MAX_LAYERS);
        }
        return Integer.parseInt(key);
    }

    private static double number(Path file, String where, JsonNode v, String key) throws ModelLoadException {
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw ModelLoadException.at(file, where + "\"" + key + "\" must be a number");
        }
        return v.asDouble();
    }
}
