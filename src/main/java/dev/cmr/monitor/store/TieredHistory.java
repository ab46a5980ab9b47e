package dev.cmr.monitor.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bounded time series. It never holds more than {@code maxEntries} entries, whatever the run length: tier 0
 * keeps raw intervals; when a tier is over its share, its oldest {@code factor} entries are merged into one entry
 * of the next, coarser tier; the last tier drops its oldest entry. With the defaults (1,000 entries, 4 tiers of 250,
 * factor 10) and 1 s intervals it spans about 77 hours, the newest 250 s at full resolution.
 *
 * <p>Threading: synchronized; the collector adds, readers copy.
 */
public final class TieredHistory {
    static final int FACTOR = 10;
    private static final int MAX_TIERS = 4;

    private final List<ArrayDeque<IntervalSnapshot>> tiers = new ArrayList<>();
    private final int[] capacity;
    private final int factor;

    public TieredHistory(int maxEntries) {
        this(maxEntries, FACTOR);
    }

    TieredHistory(int maxEntries, int factor) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max_history_size must be >= 1, was " + maxEntries);
        }
        this.factor = factor;
        // A tier needs room for at least one merge batch plus the entry that overflows it.
        int tierCount = Math.max(1, Math.min(MAX_TIERS, maxEntries / (factor + 1)));
        capacity = new int[tierCount];
        for (int i = 0; i < tierCount; i++) {
            capacity[i] = maxEntries / tierCount + (i < maxEntries % tierCount ? 1 : 0);
            tiers.add(new ArrayDeque<>());
        }
    }

    public synchronized void add(IntervalSnapshot raw) {
        tiers.get(0).addLast(raw);
        for (int i = 0; i < tiers.size(); i++) {
            ArrayDeque<IntervalSnapshot> tier = tiers.get(i);
            if (tier.size() <= capacity[i]) {
                break;
            }
            if (i == tiers.size() - 1) {
                tier.removeFirst();
            } else {
                IntervalSnapshot joined = tier.removeFirst();
                for (int k = 1; k < factor && !tier.isEmpty(); k++) {
                    joined = joined.merge(tier.removeFirst());
                }
                tiers.get(i + 1).addLast(joined);
            }
        }
    }

    /** All entries, oldest first. */
    public synchronized List<IntervalSnapshot> entries() {
        List<IntervalSnapshot> all = new ArrayList<>(size());
        for (int i = tiers.size() - 1; i >= 0; i--) {
            all.addAll(tiers.get(i));
        }
        return all;
    }

    /** The newest {@code n} raw (tier 0) entries, oldest first. */
    public synchronized List<IntervalSnapshot> recent(int n) {
        ArrayDeque<IntervalSnapshot> raw = tiers.get(0);
        List<IntervalSnapshot> out = new ArrayList<>(Math.min(n, raw.size()));
        Iterator<IntervalSnapshot> it = raw.descendingIterator();
        while (it.hasNext() && out.size() < n) {
            out.add(0, it.next());
        }
        return out;
    }

    public synchronized int size() {
        int n = 0;
        for (ArrayDeque<IntervalSnapshot> tier : tiers) {
            n += tier.size();
        }
        return n;
    }

    public synchronized void clear() {
        for (ArrayDeque<IntervalSnapshot> tier : tiers) {
            tier.clear();
        }
    }
}
