package io.moescope.app.cli;

import io.moescope.model.train.Validation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code validate --model DIR --corpus DIR}: per-domain loss, specialisation and balance of a trained model. */
@Command(name = "validate", description = "Validation loss per domain (vs the unigram baseline), per-layer domain "
        + "specialisation (Jensen–Shannon) and expert load of a model trained by 'train'; prints JSON")
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory")
    Path model;

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "The corpus directory it was "
            + "trained on (the held-out last 5 % of each file is used)")
    Path corpus;

    @Override
    public Integer call() throws Exception {
        System.out.println(Validation.run(model, corpus).toJson());
        return 0;
    }
}
