package io.moescope.app.prompt;

import io.moescope.model.chat.ChatTokens;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;

/** Prompt text → token ids, validated against the model (the same checks as the command line). */
public final class PromptIds {

    static final int MAX_PROMPT_CHARS = 1_000_000;

    private PromptIds() {}

    public static int[] parse(String text, MoeModel model) throws ModelLoadException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (text.length() > MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException(
                    "the prompt has " + text.length() + " characters; the limit is " + MAX_PROMPT_CHARS);
        }
        int[] ids = model.tokenizer() == null ? ids(text) : model.tokenizer().encode(text, true);
        return checked(ids, model);
    }

    /**
     * The text as the user's message rendered through the model's chat template (assistant turn opened) and
     * tokenized, with the same checks as {@link #parse}.
     */
    public static ChatTokens chat(String text, MoeModel model) throws ModelLoadException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (text.length() > MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException(
                    "the prompt has " + text.length() + " characters; the limit is " + MAX_PROMPT_CHARS);
        }
        ChatTokens t = ChatTokens.userTurn(model.requireChatTemplate(), model.requireTokenizer(), null, text);
        checked(t.ids(), model);
        return t;
    }

    private static int[] checked(int[] ids, MoeModel model) {
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
        if (ids.length > model.config().maxPositions()) {
            throw new PromptTooLongException(
                    ids,
                    model.config().maxPositions(),
                    model.config().bosTokenId(),
                    "keep its last " + model.config().maxPositions() + " tokens to run it");
        }
        return ids;
    }

    /** "1, 5 9" → {1, 5, 9}; anything else is an error that says what to type. */
    static int[] ids(String text) {
        String[] parts = text.trim().split("[,\\s]+");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("this model has no tokenizer.json, so the prompt must be token "
                        + "ids separated by commas or spaces (e.g. \"1, 17, 42\"); '" + parts[i]
                        + "' is not a number");
            }
        }
        return ids;
    }
}
