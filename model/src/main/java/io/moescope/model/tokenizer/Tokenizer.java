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

    /** A decoder that turns ids into text one at a time without breaking UTF-8 characters. */
    default StreamDecoder streamDecoder() {
        return new StreamDecoder(this);
    }

    @Override
    void close();
}
