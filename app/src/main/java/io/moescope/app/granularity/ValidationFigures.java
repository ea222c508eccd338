package io.moescope.app.granularity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory's held-out figures, from the {@code validation.json} that {@code ./moescope validate} wrote
 * beside the weights (docs/training.md): validation loss per domain, and per MoE layer the mean Jensen–Shannon
 * divergence of the domains' first-choice expert distributions and the load's max/mean.
 *
 * @param domains     domain names [D]
 * @param loss        validation loss, nats per token [D]
 * @param layers      decoder layer of each MoE layer [L]
 * @param meanJs      mean pairwise JS divergence, bits [L]
 * @param maxOverMean load max/mean [L]
 */
public record ValidationFigures(List<String> domains, float[] loss, int[] layers, float[] meanJs, float[] maxOverMean) {

    /** validation.json holds a few kilobytes; anything over this is not one. */
    static final long MAX_BYTES = 1 << 20;

    public static ValidationFigures read(Path modelDir) throws ModelLoadException {
        Path file = modelDir.resolve("validation.json");
        if (!Files.isRegularFile(file)) {
            throw ModelLoadException.at(
                    file, "is missing: run ./moescope validate --model " + modelDir + " and save its output there");
        }
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw ModelLoadException.at(file, "is larger than 1 MB; a validation report is a few kilobytes");
            }
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw ModelLoadException.at(
                    file,
                    "is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode d = root.path("domains");
        JsonNode l = root.path("layers");
        if (!d.isArray() || d.isEmpty() || !l.isArray() || l.isEmpty()) {
            throw ModelLoadException.at(file, "needs non-empty 'domains' and 'layers' arrays");
        }
        List<String> names = new ArrayList<>();
        float[] loss = new float[d.size()];
        for (int i = 0; i < d.size(); i++) {
            names.add(text(file, d.get(i), "name"));
            loss[i] = (float) number(file, d.get(i), "loss");
        }
        int[] layers = new int[l.size()];
        float[] js = new float[l.size()];
        float[] mm = new float[l.size()];
        for (int i = 0; i < l.size(); i++) {
            layers[i] = (int) number(file, l.get(i), "layer");
            js[i] = (float) number(file, l.get(i), "meanJs");
            mm[i] = (float) number(file, l.get(i), "maxOverMean");
        }
        return new ValidationFigures(List.copyOf(names), loss, layers, js, mm);
    }

    private static String text(Path file, JsonNode n, String field) throws ModelLoadException {
        if (!n.path(field).isTextual()) {
            throw ModelLoadException.at(file, "an entry has no text field '" + field + "'");
        }
        return n.path(field).asText();
    }

    private static double number(Path file, JsonNode n, String field) throws ModelLoadException {
        if (!n.path(field).isNumber()) {
            throw ModelLoadException.at(file, "an entry has no number field '" + field + "'");
        }
        return n.path(field).asDouble();
    }
}
