package io.moescope.model.runtime;

import io.moescope.model.layer.KvCache;
import java.util.concurrent.atomic.AtomicLong;

/** One sequence's state: its id and the KV cache of every layer. Not thread-safe; one inference thread. */
public final class Session {

    private static final AtomicLong IDS = new AtomicLong(1);

    private final long id = IDS.getAndIncrement();
    private final KvCache[] caches;

    Session(KvCache[] caches) {
        this.caches = caches;
    }

    public long id() {
        return id;
    }

    /** Positions already processed. */
    public int length() {
        return caches[0].length();
    }

    KvCache cache(int layer) {
        return caches[layer];
    }

    /** Forgets positions from {@code length} on, to re-run from a common prefix. */
    public void truncate(int length) {
        for (KvCache c : caches) {
            c.truncate(length);
        }
    }

    public long cacheBytes() {
        long n = 0;
        for (KvCache c : caches) {
            n += c.bytes();
        }
        return n;
    }
}
