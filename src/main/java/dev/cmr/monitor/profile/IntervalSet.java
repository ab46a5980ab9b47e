package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * An immutable set of host-clock instants, held as sorted, disjoint, non-touching half-open intervals [start, end)
 * of nanoseconds. The set algebra the attribution needs (union of spans, minus, intersection, clipping to a window)
 * with exact lengths in long arithmetic, so that partitions built from it add up to the nanosecond.
 */
final class IntervalSet {
    static final IntervalSet EMPTY = new IntervalSet(new long[0], new long[0], 0);

    private final long[] starts;
    private final long[] ends;
    private final int size;

    private IntervalSet(long[] starts, long[] ends, int size) {
        this.starts = starts;
        this.ends = ends;
        this.size = size;
    }

    /** The union of the items' intervals; empty intervals add nothing. */
    static <T> IntervalSet union(Collection<? extends T> items, ToLongFunction<T> start, ToLongFunction<T> end) {
        long[][] pairs = new long[items.size()][];
        int n = 0;
        for (T item : items) {
            pairs[n++] = new long[] {start.applyAsLong(item), end.applyAsLong(item)};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        Builder out = new Builder(n);
        for (long[] p : pairs) {
            out.add(p[0], p[1]);
        }
        return out.build();
    }

    /** The total length in nanoseconds. */
    long length() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += ends[i] - starts[i];
        }
        return total;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The part of this set inside [from, to). */
    IntervalSet clip(long from, long to) {
        Builder out = new Builder(size);
        for (int i = 0; i < size; i++) {
            out.add(Math.max(starts[i], from), Math.min(ends[i], to));
        }
        return out.build();
    }

    IntervalSet intersect(IntervalSet other) {
        Builder out = new Builder(size + other.size);
        int i = 0;
        int j = 0;
        while (i < size && j < other.size) {
            out.add(Math.max(starts[i], other.starts[j]), Math.min(ends[i], other.ends[j]));
            // The interval that ends first can meet nothing further in the other set.
            if (ends[i] < other.ends[j]) {
                i++;
            } else {
                j++;
            }
        }
        return out.build();
    }

    IntervalSet minus(IntervalSet other) {
        Builder out = new Builder(size + other.size);
        int j = 0;
        for (int i = 0; i < size; i++) {
            long cursor = starts[i];
            while (j < other.size && other.ends[j] <= cursor) {
                j++;
            }
            // Cut out every interval of other that overlaps [cursor, ends[i]); the last one may reach into the next i.
            int k = j;
            while (k < other.size && other.starts[k] < ends[i]) {
                out.add(cursor, other.starts[k]);
                cursor = Math.max(cursor, other.ends[k]);
                k++;
            }
            out.add(cursor, ends[i]);
        }
        return out.build();
    }

    /** The intervals as {@code [start, end]} pairs, in order. */
    List<long[]> intervals() {
        List<long[]> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new long[] {starts[i], ends[i]});
        }
        return out;
    }

    /** Accumulates intervals given in order of start, merging those that overlap or touch, dropping empty ones. */
    private static final class Builder {
        private final long[] starts;
        private final long[] ends;
        private int size;

        Builder(int capacity) {
            starts = new long[capacity];
            ends = new long[capacity];
        }

        void add(long start, long end) {
            if (end <= start) {
                return;
            }
            if (size > 0 && start <= ends[size - 1]) {
                ends[size - 1] = Math.max(ends[size - 1], end);
                return;
            }
            starts[size] = start;
            ends[size] = end;
            size++;
        }

        IntervalSet build() {
            return size == 0 ? EMPTY : new IntervalSet(starts, ends, size);
        }
    }
}
