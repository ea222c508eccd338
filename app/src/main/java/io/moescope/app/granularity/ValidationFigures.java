package io.moescope.app.granularity;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.train.ValidationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * A model directory's held-out figures as the view charts them, from the {@code validation.json} that
 * {@code ./moescope validate} wrote beside the weights (read by {@link ValidationReport#read}; docs/training.md):
 * validation loss per domain, and per MoE layer the mean Jensen–Shannon divergence of the domains' first-choice
 * expert distributions and the load's max/mean.
 *
 * @param domains     domain names [D]
 * @param loss        validation loss, nats per token [D]
 * @param layers      decoder layer of each MoE layer [L]
 * @param meanJs      mean pairwise JS divergence, bits [L]
 * @param maxOverMean load max/mean [L]
 */
public record ValidationFigures(List<String> domains, float[] loss, int[] layers, float[] meanJs, float[] maxOverMean) {

    /** The figures of {@code modelDir/validation.json}; errors are one line naming that file. */
    public static ValidationFigures read(Path modelDir) throws ModelLoadException {
        return of(ValidationReport.read(modelDir.resolve("validation.json")));
    }

    static ValidationFigures of(ValidationReport report) {
        List<ValidationReport.DomainResult> d = report.domains();
        List<ValidationReport.LayerResult> l = report.layers();
        float[] loss = new float[d.size()];
        for (int i = 0; i < loss.length; i++) {
            loss[i] = (float) d.get(i).loss();
        }
        int[] layers = new int[l.size()];
        float[] js = new float[l.size()];
        float[] mm = new float[l.size()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = l.get(i).layer();
            js[i] = (float) l.get(i).meanJs();
            mm[i] = (float) l.get(i).maxOverMean();
        }
        return new ValidationFigures(
                d.stream().map(ValidationReport.DomainResult::name).toList(), loss, layers, js, mm);
    }
}
