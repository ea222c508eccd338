package io.moescope.model.tokenizer;

import java.util.Arrays;

/**
 * Incremental detokenisation for streaming: each {@link #push(int)} returns only text that is complete. Text
 * whose last character is still partial (a UTF-8 sequence split across byte tokens decodes to U+FFFD) is held
 * back until the token that completes it arrives. Decodes a short window of recent ids, not the whole sequence,
 * so the cost per token stays constant; decoding a window relative to its own prefix keeps the spaces that
 * SentencePiece-style decoders strip at the start of a text.
 */
public final class StreamDecoder {

    private final Tokenizer tokenizer;
    private int[] ids = new int[16];
    private int size;
    private int prefixOffset;
    private int readOffset;

    public StreamDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id; returns the newly completed text (possibly empty). */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), false);
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), false);
        if (full.length() > prefix.length() && !full.endsWith("\uFFFD") && full.startsWith(prefix)) {
            prefixOffset = readOffset;
            readOffset = size;
            return full.substring(prefix.length());
        }
        if (!full.startsWith(prefix) && !full.endsWith("\uFFFD")) {
            // the decoder rewrote earlier text (rare normalisations): emit the part after the common prefix
            int common = 0;
            while (common < Math.min(prefix.length(), full.length()) && prefix.charAt(common) == full.charAt(common)) {
                common++;
            }
            prefixOffset = readOffset;
            readOffset = size;
            return full.substring(common);
        }
        return "";
    }

    /** Text still held back (an incomplete character at the end), decoded as-is. */
    public String flush() {
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), false);
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), false);
        prefixOffset = readOffset = size;
        return full.length() > prefix.length() && full.startsWith(prefix) ? full.substring(prefix.length()) : "";
    }
}
