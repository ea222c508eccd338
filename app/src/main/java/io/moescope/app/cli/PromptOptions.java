package io.moescope.app.cli;

import io.moescope.app.prompt.PromptTooLongException;
import io.moescope.model.chat.ChatTokens;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * --ids or --prompt: where the input tokens come from; with --chat the prompt is the user's message, rendered
 * through the model's chat template (after an optional --system message) with the assistant's turn opened.
 */
public final class PromptOptions {

    /** Longest prompt text accepted, in characters. */
    static final int MAX_PROMPT_CHARS = 1_000_000;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--ids", split = ",", paramLabel = "ID", description = "Comma-separated token ids")
        int[] ids;

        @Option(
                names = "--prompt",
                paramLabel = "TEXT",
                description = "Prompt text (tokenized with the model's tokenizer)")
        String prompt;
    }

    @Option(names = "--no-special", description = "Do not add the tokenizer's special tokens (BOS) to --prompt")
    boolean noSpecial;

    @Option(
            names = "--chat",
            description = "Send --prompt as a user message through the model's chat template "
                    + "(the trace marks the template's tokens)")
    boolean chat;

    @Option(
            names = "--keep-tail",
            description = "If the prompt has more tokens than the model's context, keep its "
                    + "last part (the bos token and the latest tokens) instead of stopping")
    boolean keepTail;

    @Option(names = "--system", paramLabel = "TEXT", description = "With --chat: a system message before the user's")
    String system;

    /** Per prompt token whether the chat template wrote it; empty unless --chat (set by {@link #ids}). */
    private boolean[] fromTemplate = new boolean[0];

    /** The prompt as a request: its ids and, with --chat, which of them the template wrote. */
    GenerationRequest request(MoeModel model, int maxNewTokens, SamplingParams sampling) throws ModelLoadException {
        int[] ids = ids(model);
        return GenerationRequest.of(ids, maxNewTokens, sampling).withTemplateTokens(fromTemplate);
    }

    /** The prompt as token ids, validated against the model. */
    int[] ids(MoeModel model) throws ModelLoadException {
        int[] ids;
        if (system != null && !chat) {
            throw new IllegalArgumentException("--system needs --chat");
        }
        if (chat && source.ids != null) {
            throw new IllegalArgumentException(
                    "--chat renders text through the chat template; give --prompt, not --ids");
        }
        if (chat && noSpecial) {
            throw new IllegalArgumentException("--chat writes the template's own special tokens; drop --no-special");
        }
        if (source.ids != null) {
            ids = source.ids;
        } else {
            if (source.prompt.isEmpty()) {
                throw new IllegalArgumentException("the prompt is empty");
            }
            if (source.prompt.length() > MAX_PROMPT_CHARS) {
                throw new IllegalArgumentException(
                        "the prompt has " + source.prompt.length() + " characters; the limit is " + MAX_PROMPT_CHARS);
            }
            if (chat) {
                ChatTokens t = ChatTokens.userTurn(
                        model.requireChatTemplate(), model.requireTokenizer(), system, source.prompt);
                ids = t.ids();
                fromTemplate = t.fromTemplate();
            } else {
                ids = model.requireTokenizer().encode(source.prompt, !noSpecial);
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: it has no tokens");
        }
        int vocab = model.config().vocabSize();
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException(
                        "token id " + id + " is outside the model's vocabulary 0.." + (vocab - 1));
            }
        }
        int max = model.config().maxPositions();
        if (ids.length > max) {
            PromptTooLongException tooLong = new PromptTooLongException(
                    ids,
                    max,
                    model.config().bosTokenId(),
                    chat
                            ? "shorten the message (--keep-tail does not cut a chat-template prompt)"
                            : "run again with --keep-tail to keep its last " + max + " tokens");
            if (!keepTail || chat) {
                throw tooLong;
            }
            ids = tooLong.tail();
        }
        return ids;
    }
}
