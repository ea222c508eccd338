package io.moescope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.base.AtomicFiles;
import io.moescope.model.train.ModelReport;
import io.moescope.model.train.Validation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code validate --model DIR --corpus DIR [--samples FILE [--tokens N]]}: per-domain loss, specialisation and balance
 * of a trained model, and optionally the greedy sample per domain that the model READMEs show.
 */
@Command(
        name = "validate",
        description = "Validation loss per domain (vs the unigram baseline), per-layer domain "
                + "specialisation (Jensen–Shannon) and expert load of a model trained by 'train'; prints JSON")
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory")
    Path model;

    @Mixin
    CorpusOption corpus;

    @Option(
            names = "--samples",
            paramLabel = "FILE",
            description = "Also write one greedy sample per domain (the " + "model README's prompts) as JSON to FILE")
    Path samples;

    @Option(names = "--tokens", defaultValue = "48", description = "Tokens per sample (default ${DEFAULT-VALUE})")
    int tokens;

    @Override
    public Integer call() throws Exception {
        System.out.println(Validation.run(model, corpus.dir).toJson());
        if (samples != null) {
            List<Map<String, String>> s = ModelReport.samples(model, tokens);
            AtomicFiles.write(
                    samples,
                    out -> new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValue(out, s));
        }
        return 0;
    }
}
