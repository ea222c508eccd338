package io.moescope.model.tokenizer;

/**
 * Token ids with the part of the text each came from: token i covers {@code text.substring(start[i], end[i])}
 * (UTF-16 indices, as String uses). Tokens the tokenizer added (a BOS) have an empty range. Arrays are not copied.
 */
public record TokenSpans(int[] ids, int[] start, int[] end) {

    public TokenSpans {
        if (ids.length != start.length || ids.length != end.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + start.length + "/" + end.length + " spans");
        }
    }

    public int size() {
        return ids.length;
    }
}
