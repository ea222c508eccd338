package io.moescope.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --corpus DIR} of {@code train} and {@code validate}: one corpus, split the same way by both, so that
 * validate measures exactly the text that train held out.
 */
public final class CorpusOption {

    @Option(
            names = "--corpus",
            required = true,
            paramLabel = "DIR",
            description = "Directory of *.txt files, one domain each; the last 5 %% of each file is held out: train "
                    + "never sees it, validate measures it (give validate the corpus the model was trained on)")
    Path dir;
}
