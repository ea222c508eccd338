package io.moescope.app.report;

/** Cuts documents and streams into chunks of at most chunkTokens ids. */
final class Chunker {
    private final CorpusReader.ChunkSink sink;
    private final int prefix;
    private final int chunkTokens;
    private final int[] buf;
    private int n;

    /** @param prefix id that starts every chunk (BOS), or −1 */
    Chunker(CorpusReader.ChunkSink sink, int chunkTokens, int prefix) {
        this.sink = sink;
        this.chunkTokens = chunkTokens;
        this.buf = new int[chunkTokens];
        this.prefix = prefix;
        reset();
    }

    private void reset() {
        n = 0;
        if (prefix >= 0) {
            buf[n++] = prefix;
        }
    }

    private boolean emit() throws Exception {
        boolean body = n > (prefix >= 0 ? 1 : 0);
        int[] chunk = java.util.Arrays.copyOf(buf, n);
        reset();
        return !body || sink.accept(chunk);
    }

    boolean stream(int[] ids) throws Exception {
        for (int id : ids) {
            buf[n++] = id;
            if (n == chunkTokens && !emit()) {
                return false;
            }
        }
        return true;
    }

    boolean document(int[] ids) throws Exception {
        return stream(ids) && flush();
    }

    boolean flush() throws Exception {
        return emit();
    }
}
