package io.moescope.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** training_log.jsonl: one JSON object per logged step. */
final class TrainingLog {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        Files.writeString(file, JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
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
}
