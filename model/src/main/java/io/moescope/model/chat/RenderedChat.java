package io.moescope.model.chat;

import java.util.List;

/**
 * A conversation rendered by a chat template: the prompt text, and the character ranges of it that are message text
 * (everything else came from the template: role headers, BOS, separators, the generation prompt).
 */
public record RenderedChat(String text, List<Span> messageSpans) {

    /** Characters [start, end) of {@link #text()} (UTF-16 indices). */
    public record Span(int start, int end) {
        public Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad span " + start + ".." + end);
            }
        }
    }

    public RenderedChat {
        messageSpans = List.copyOf(messageSpans);
    }

    /** Whether any character of [start, end) is message text; an empty range (an added BOS) is not. */
    public boolean overlapsMessage(int start, int end) {
        for (Span s : messageSpans) {
            if (start < s.end() && s.start() < end) {
                return true;
            }
        }
        return false;
    }
}
