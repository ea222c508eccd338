package io.moescope.model.chat;

import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.tokenizer.TokenSpans;

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
}
