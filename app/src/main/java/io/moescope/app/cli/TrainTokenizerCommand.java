package io.moescope.app.cli;

import io.moescope.model.train.BpeTrainer;
import io.moescope.model.train.Corpus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train-tokenizer --corpus DIR --vocab N --out DIR}: a byte-level BPE written as tokenizer.json. */
@Command(
        name = "train-tokenizer",
        description = "Train a byte-level BPE on a corpus directory and write a Hugging " + "Face tokenizer.json")
public final class TrainTokenizerCommand implements Callable<Integer> {

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Directory of *.txt files")
    Path corpus;

    @Option(
            names = "--vocab",
            defaultValue = "2048",
            description = "Vocabulary size incl. 256 byte tokens and " + "specials (default ${DEFAULT-VALUE})")
    int vocab;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for tokenizer.json")
    Path out;

    @Option(names = "--force", description = "Replace an existing tokenizer.json")
    boolean force;

    @Override
    public Integer call() throws Exception {
        System.out.println(BpeTrainer.train(Corpus.files(corpus), vocab, out, force));
        return 0;
    }
}
