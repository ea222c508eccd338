package io.moescope.model.chat;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.tokenizer.TokenSpans;
import io.moescope.model.tokenizer.Tokenizer;
import java.util.List;

/**
 * A rendered chat as token ids, with per token whether it came from the template (true) or from a message's text
 * (false), so a trace can mark template tokens. A token that spans both (a merge across the boundary) counts as
 * message text.
 */
public record ChatTokens(int[] ids, boolean[] fromTemplate) {

    public ChatTokens {
        if (ids.length != fromTemplate.length) {
            throw new IllegalArgumentException(ids.length + " ids, " + fromTemplate.length + " flags");
        }
    }

    /**
     * Tokenizes a rendered chat without adding special tokens (the template writes its own BOS), as transformers'
     * apply_chat_template(tokenize=True) does.
     */
    public static ChatTokens encode(HfTokenizer tokenizer, RenderedChat chat) {
        TokenSpans spans = tokenizer.encodeWithSpans(chat.text(), false);
        boolean[] template = new boolean[spans.size()];
        for (int i = 0; i < template.length; i++) {
            template[i] = !chat.overlapsMessage(spans.start()[i], spans.end()[i]);
        }
        return new ChatTokens(spans.ids(), template);
    }

    /**
     * One user message (after an optional system message) rendered with the generation prompt, as for asking the
     * model for a reply, and tokenized.
     *
     * @param system the system message, or null / empty for none
     * @throws ModelLoadException one line naming the template's file when the template fails to render
     */
    public static ChatTokens userTurn(ChatTemplate template, Tokenizer tokenizer, String system, String user)
            throws ModelLoadException {
        if (!(tokenizer instanceof HfTokenizer)) {
            throw new IllegalArgumentException(
                    "chat mode needs the model's own tokenizer (tokenizer.json or GGUF" + " tokenizer metadata)");
        }
        List<ChatMessage> messages = system == null || system.isEmpty()
                ? List.of(ChatMessage.user(user))
                : List.of(ChatMessage.system(system), ChatMessage.user(user));
        return encode((HfTokenizer) tokenizer, template.render(messages, true));
    }
}
