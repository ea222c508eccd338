package io.moescope.app.cli;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** --ids or --prompt: where the input tokens come from. */
public final class PromptOptions {

    /** Longest prompt text accepted, in characters. */
    static final int MAX_PROMPT_CHARS = 1_000_000;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--ids", split = ",", paramLabel = "ID", description = "Comma-separated token ids")
        int[] ids;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (tokenized with the model's tokenizer)")
        String prompt;
    }

    @Option(names = "--no-special", description = "Do not add the tokenizer's special tokens (BOS) to --prompt")
    boolean noSpecial;

    /** The prompt as token ids, validated against the model. */
    int[] ids(MoeModel model) throws ModelLoadException {
        int[] ids;
        if (source.ids != null) {
            ids = source.ids;
        } else {
            if (source.prompt.isEmpty()) {
                throw new IllegalArgumentException("the prompt is empty");
            }
            if (source.prompt.length() > MAX_PROMPT_CHARS) {
                throw new IllegalArgumentException("the prompt has " + source.prompt.length()
                        + " characters; the limit is " + MAX_PROMPT_CHARS);
            }
            ids = model.requireTokenizer().encode(source.prompt, !noSpecial);
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: it has no tokens");
        }
        int vocab = model.config().vocabSize();
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary 0.."
                        + (vocab - 1));
            }
        }
        int max = model.config().maxPositions();
        if (ids.length > max) {
            throw new IllegalArgumentException("the prompt has " + ids.length + " tokens but the model's context is "
                    + max + " positions");
        }
        return ids;
    }
}
