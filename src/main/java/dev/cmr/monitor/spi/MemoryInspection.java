package dev.cmr.monitor.spi;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A detailed look at the memory buffer for diagnostics, taken by {@link BufferGauge#inspect(long)}: per layer, the
 * resident entries, cumulative insertions and evictions, entry ages and stale entries, plus the limits that decide
 * eviction. Times are host nanoseconds on the buffer's own clock ({@code System.nanoTime()} scale unless the buffer
 * was given another clock); counts are cumulative since {@code countingSinceNanos}.
 *
 * @param inspectedAtNanos    the buffer clock when the inspection was taken
 * @param countingSinceNanos  the buffer clock when its counters started (its creation); the window of the counts
 * @param staleAfterNanos     the idle time beyond which an entry counted as stale (as asked by the caller)
 * @param maxEntriesPerLayer  the per-layer capacity ({@code max_entries_per_layer})
 * @param totalLimit          the most entries resident in total (after the cleanup threshold)
 * @param relevanceThreshold  states below this relevance are not stored ({@code relevance_threshold})
 * @param layers              per layer that holds entries or ever saw an insertion or eviction; copied
 */
public record MemoryInspection(long inspectedAtNanos, long countingSinceNanos, long staleAfterNanos,
                               int maxEntriesPerLayer, int totalLimit, double relevanceThreshold,
                               Map<Integer, LayerMemory> layers) {

    /**
     * One layer's part of an inspection. Ages are over resident entries and are 0 when the layer holds none
     * ({@code entries == 0} tells the difference).
     *
     * @param entries       resident entries
     * @param insertions    states stored into this layer
     * @param evictions     entries of this layer evicted (whichever store caused it)
     * @param meanAgeNanos  mean time since insertion
     * @param maxAgeNanos   the oldest entry's time since insertion
     * @param meanIdleNanos mean time since the last retrieval (or insertion, if never retrieved)
     * @param maxIdleNanos  the longest such idle time
     * @param staleEntries  resident entries idle for longer than {@code staleAfterNanos}
     */
    public record LayerMemory(long entries, long insertions, long evictions, double meanAgeNanos, long maxAgeNanos,
                              double meanIdleNanos, long maxIdleNanos, long staleEntries) {
        public LayerMemory {
            if (entries < 0 || insertions < 0 || evictions < 0 || staleEntries < 0 || staleEntries > entries) {
                throw new IllegalArgumentException("layer memory counts must be >= 0 and staleEntries <= entries, was "
                        + "entries=" + entries + " insertions=" + insertions + " evictions=" + evictions
                        + " staleEntries=" + staleEntries);
            }
        }
    }

    public MemoryInspection {
        if (countingSinceNanos - inspectedAtNanos > 0) {
            throw new IllegalArgumentException("countingSinceNanos must not be after inspectedAtNanos");
        }
        if (staleAfterNanos < 0) {
            throw new IllegalArgumentException("staleAfterNanos must be >= 0, was " + staleAfterNanos);
        }
        if (maxEntriesPerLayer < 1 || totalLimit < 1) {
            throw new IllegalArgumentException("maxEntriesPerLayer and totalLimit must be >= 1, were "
                    + maxEntriesPerLayer + " and " + totalLimit);
        }
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
    }

    /** Length of the counting window, in nanoseconds. */
    public long windowNanos() {
        return inspectedAtNanos - countingSinceNanos;
    }
}
