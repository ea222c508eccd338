package io.moescope.app.prompt;

/**
 * A prompt with more tokens than the model has positions. Says the limit in one line, and can give the prompt's last
 * part that fits ({@link #tail()}): the leading bos token, where the prompt starts with one, and the latest tokens.
 */
public final class PromptTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int[] ids;
    private final int limit;
    private final int bos;

    /**
     * @param ids   the whole prompt
     * @param limit the model's context (max_position_embeddings)
     * @param bos   the model's bos id, kept in front of the tail when the prompt starts with it; -1 for none
     * @param hint  how to ask for the tail where the message is read (e.g. "run again with --keep-tail")
     */
    public PromptTooLongException(int[] ids, int limit, int bos, String hint) {
        super("the prompt has " + ids.length + " tokens but the model's context is " + limit + " positions"
                + (hint == null ? "" : "; " + hint));
        this.ids = ids.clone();
        this.limit = limit;
        this.bos = bos;
    }

    public int tokens() {
        return ids.length;
    }

    public int limit() {
        return limit;
    }

    /** The last part that fits the context: bos (if the prompt starts with it) and the latest tokens. */
    public int[] tail() {
        return tail(ids, limit, bos);
    }

    /** ids cut to at most limit tokens, keeping a leading bos and the end. */
    public static int[] tail(int[] ids, int limit, int bos) {
        if (ids.length <= limit) {
            return ids.clone();
        }
        boolean keepBos = bos >= 0 && ids.length > 0 && ids[0] == bos && limit > 1;
        int[] out = new int[limit];
        int from = ids.length - (keepBos ? limit - 1 : limit);
        if (keepBos) {
            out[0] = bos;
            System.arraycopy(ids, from, out, 1, limit - 1);
        } else {
            System.arraycopy(ids, from, out, 0, limit);
        }
        return out;
    }
}
