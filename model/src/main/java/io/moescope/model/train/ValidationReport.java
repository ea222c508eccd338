package io.moescope.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of {@link Validation#run}: written by {@link #toJson} ({@code ./moescope validate}, saved as
 * {@code validation.json} beside the weights), read back by {@link #read}.
 *
 * @param domains per-domain validation loss against the unigram baseline
 * @param layers  per-MoE-layer routing statistics
 */
public record ValidationReport(
        String model, int windowsPerDomain, int seq, List<DomainResult> domains, List<LayerResult> layers) {

    /**
     * @param loss        mean next-token cross-entropy (nats) on the held-out slice
     * @param unigramLoss cross-entropy of the add-one-smoothed unigram distribution of the domain's training tokens
     */
    public record DomainResult(String name, int tokens, double loss, double unigramLoss) {}

    /**
     * @param top1         per domain: fraction of tokens whose first-choice expert is e ([E])
     * @param meanJs       Jensen–Shannon divergence (bits) of the top-1 distributions averaged over domain pairs
     * @param load         expert load counts over all k slots of all validation tokens ([E])
     * @param maxOverMean  max load / mean load
     * @param deadExperts  experts chosen by no validation token
     * @param rankShares   mean share of a token's total gate weight held by its heaviest, 2nd … k-th chosen expert
     *                     ([k], sums to 1; 1 − rankShares[0] is how much the top-k mixes)
     */
    public record LayerResult(
            int layer,
            Map<String, double[]> top1,
            double meanJs,
            int[] load,
            double maxOverMean,
            int deadExperts,
            double[] rankShares) {}

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** validation.json holds a few kilobytes; anything over this is not one. */
    static final long MAX_BYTES = 1 << 20;

    /**
     * Reads a report that {@link #toJson} wrote. Each domain needs its name and loss, each layer its number, meanJs
     * and maxOverMean; the other fields may be absent (older files have no rankShares): numbers read as 0 (the
     * unigram loss as NaN), arrays and maps as empty.
     *
     * @throws ModelLoadException one line naming the file if it is missing, too large, not JSON or lacks a field
     */
    public static ValidationReport read(Path file) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            throw ModelLoadException.at(
                    file,
                    "is missing: run ./moescope validate --model "
                            + file.toAbsolutePath().getParent() + " and save its output there");
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
        JsonNode d = root == null ? null : root.path("domains");
        JsonNode l = root == null ? null : root.path("layers");
        if (d == null || !d.isArray() || d.isEmpty() || !l.isArray() || l.isEmpty()) {
            throw ModelLoadException.at(file, "needs non-empty 'domains' and 'layers' arrays");
        }
        List<DomainResult> domains = new ArrayList<>();
        for (JsonNode n : d) {
            domains.add(new DomainResult(
                    text(file, n, "name"),
                    n.path("tokens").asInt(0),
                    number(file, n, "loss"),
                    n.path("unigramLoss").isNumber() ? n.path("unigramLoss").asDouble() : Double.NaN));
        }
        List<LayerResult> layers = new ArrayList<>();
        for (JsonNode n : l) {
            Map<String, double[]> top1 = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("top1").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                top1.put(e.getKey(), doubles(file, e.getValue(), "top1"));
            }
            JsonNode load = n.path("load");
            int[] counts = new int[load.isArray() ? load.size() : 0];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = load.get(i).asInt();
            }
            layers.add(new LayerResult(
                    (int) number(file, n, "layer"),
                    top1,
                    number(file, n, "meanJs"),
                    counts,
                    number(file, n, "maxOverMean"),
                    n.path("deadExperts").asInt(0),
                    doubles(file, n.path("rankShares"), "rankShares")));
        }
        return new ValidationReport(
                root.path("model").asText(""),
                root.path("windowsPerDomain").asInt(0),
                root.path("seq").asInt(0),
                List.copyOf(domains),
                List.copyOf(layers));
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

    /** An array of numbers; an absent field is empty. */
    private static double[] doubles(Path file, JsonNode n, String field) throws ModelLoadException {
        if (n.isMissingNode() || n.isNull()) {
            return new double[0];
        }
        if (!n.isArray()) {
            throw ModelLoadException.at(file, "'" + field + "' is not an array of numbers");
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isNumber()) {
                throw ModelLoadException.at(file, "'" + field + "' is not an array of numbers");
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
