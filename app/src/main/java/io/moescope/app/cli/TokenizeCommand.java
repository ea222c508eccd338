package io.moescope.app.cli;

import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenize --tokenizer PATH --text TEXT [--special]} prints {"ids":[...]}. */
@Command(name = "tokenize", description = "Print the token ids of a text as JSON: {\"ids\":[...]}")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(
            names = "--tokenizer",
            required = true,
            paramLabel = "PATH",
            description = "tokenizer.json (or .json.gz), read exactly as the tokenizers library does, or a model "
                    + "directory (then tokenizer_config.json's add_bos_token applies, as in transformers)")
    Path tokenizer;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "Text to tokenize")
    String text;

    @Option(names = "--special", description = "Add the tokenizer's special tokens (e.g. BOS)")
    boolean special;

    @Override
    public Integer call() throws Exception {
        try (Tokenizer tok = java.nio.file.Files.isDirectory(tokenizer)
                ? HfTokenizer.loadForModel(tokenizer)
                : HfTokenizer.load(tokenizer)) {
            int[] ids = tok.encode(text, special);
            StringBuilder sb = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < ids.length; i++) {
                sb.append(i == 0 ? "" : ",").append(ids[i]);
            }
            System.out.println(sb.append("]}"));
        }
        return 0;
    }
}
