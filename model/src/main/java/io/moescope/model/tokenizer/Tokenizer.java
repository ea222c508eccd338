package io.moescope.model.tokenizer;

/** Text ↔ token ids for one model. Implementations must be safe to use from one thread at a time. */
public interface Tokenizer extends AutoCloseable {

    /**
     * @param addSpecialTokens add the model's BOS/EOS template tokens (as Hugging Face's add_special_tokens)
     */
    int[] encode(String text, boolean addSpecialTokens);

    String decode(int[] ids, boolean skipSpecialTokens);

    /** Number of ids the tokenizer knows (regular + added tokens). */
    int vocabSize();

    /** The id of a token string (e.g. "&lt;|im_end|&gt;"), or -1. */
    int tokenId(String token);

    /**
     * The raw bytes a single token stands for (byte-level BPE tokens through the GPT-2 byte alphabet, SentencePiece
     * byte-fallback tokens such as {@code <0xE5>}), or null when the tokenizer cannot tell.
     */
    default byte[] tokenBytes(int id) {
        return null;
    }

    /**
     * A single token for display: its text when it decodes to whole characters, otherwise its bytes written as
     * {@code \xe5\xba} (a piece of a multi-byte character, e.g. a third of a Chinese character), or {@code #id}.
     */
    default String display(int id) {
        String text = decode(new int[] {id}, false);
        if (!text.isEmpty() && text.indexOf('\uFFFD') < 0) {
            return text;
        }
        byte[] b = tokenBytes(id);
        if (b == null || b.length == 0) {
            return text.isEmpty() ? "#" + id : text;
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("\\x%02x", x & 0xff));
        }
        return sb.toString();
    }

    /** A decoder that turns ids into text one at a time without breaking UTF-8 characters. */
    default StreamDecoder streamDecoder() {
        return new StreamDecoder(this);
    }

    @Override
    void close();
}
