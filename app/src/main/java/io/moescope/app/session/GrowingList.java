package io.moescope.app.session;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list that grows at the end and shrinks at the front, handing out unmodifiable snapshots that share its
 * storage: {@link #snapshot()} is O(1) where {@code List.copyOf} is O(size). Storage is only written past the
 * last element (except by {@link #replace}); when full, the live elements move to a new, larger array. One thread
 * changes it; snapshots may go to any thread.
 */
public final class GrowingList<T> {

    private Object[] items = new Object[16];
    private int first;
    private int end;

    public int size() {
        return end - first;
    }

    public void add(T item) {
        if (end == items.length) {
            int live = end - first;
            items = Arrays.copyOfRange(items, first, first + Math.max(16, 2 * live));
            first = 0;
            end = live;
        }
        items[end++] = item;
    }

    /**
     * Replaces an element with a newer version of itself (the trace store adds a position's next-token
     * probabilities this way). The one change snapshots that hold the index see; any thread reading them sees
     * the old or the new element, each complete (use immutable elements).
     */
    public void replace(int index, T item) {
        java.util.Objects.checkIndex(index, end - first);
        items[first + index] = item;
    }

    /** Whether a list is a snapshot of a growing list (unmodifiable, so it need not be copied). */
    public static boolean isSnapshot(List<?> list) {
        return list instanceof Snapshot<?>;
    }

    /** Drops the first {@code n} elements (all when there are fewer). */
    public void dropFirst(int n) {
        first = Math.min(end, first + Math.max(0, n));
    }

    /** Drops everything; snapshots taken so far keep theirs. */
    public void clear() {
        items = new Object[16];
        first = 0;
        end = 0;
    }

    /** The element at an index of the live range. */
    @SuppressWarnings("unchecked")
    public T get(int index) {
        java.util.Objects.checkIndex(index, end - first);
        return (T) items[first + index];
    }

    /** The live elements as an unmodifiable list that never changes. */
    public List<T> snapshot() {
        return new Snapshot<>(items, first, end - first);
    }

    private static final class Snapshot<T> extends AbstractList<T> implements RandomAccess {

        private final Object[] items;
        private final int first;
        private final int size;

        Snapshot(Object[] items, int first, int size) {
            this.items = items;
            this.first = first;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get(int index) {
            java.util.Objects.checkIndex(index, size);
            return (T) items[first + index];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public List<T> subList(int from, int to) {
            java.util.Objects.checkFromToIndex(from, to, size);
            return new Snapshot<>(items, first + from, to - from);
        }
    }
}
