package io.moescope.model.recording.pickle;

/**
 * Bounds on what an untrusted pickle, torch archive or numpy file may make the reader do. Every allocation the
 * reader makes is checked against these and against the bytes actually left in the input.
 *
 * @param maxFileBytes      size of the file on disk
 * @param maxEntries        zip entries of an archive
 * @param maxPickleBytes    the pickle stream (data.pkl or a bare pickle)
 * @param maxMemo           memo entries
 * @param maxStack          values on the stack, and elements of one container
 * @param maxMarks          MARK nesting
 * @param maxLongBytes      operand length of LONG1/LONG4
 * @param maxRank           tensor dimensions
 * @param maxStorageBytes   bytes of all storages together (each key counted once), and of one decompressed entry
 */
public record PickleLimits(
        long maxFileBytes,
        int maxEntries,
        long maxPickleBytes,
        int maxMemo,
        int maxStack,
        int maxMarks,
        int maxLongBytes,
        int maxRank,
        long maxStorageBytes) {

    /** Generous for real SGLang dumps (GiB of per-token data), still far from exhausting the heap in one call. */
    public static final PickleLimits DEFAULT =
            new PickleLimits(64L << 30, 1 << 20, 256L << 20, 1 << 22, 1 << 24, 1000, 64, 16, 64L << 30);

    /** The same limits with a smaller storage budget (tests of the bounds). */
    public PickleLimits withStorageBytes(long bytes) {
        return new PickleLimits(
                maxFileBytes, maxEntries, maxPickleBytes, maxMemo, maxStack, maxMarks, maxLongBytes, maxRank, bytes);
    }
}
