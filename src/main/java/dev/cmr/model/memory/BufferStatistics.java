package dev.cmr.model.memory;

import dev.cmr.monitor.spi.MemoryInspection;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@link LayeredMemoryBuffer} has done over its life: stores, rejections and evictions, in total and per
 * layer (evictions by the layer the victim came from), and the per-layer part of the {@link MemoryInspection} the
 * monitor's diagnostics read. Nothing here is reset by {@code clear()}: clearing is not eviction.
 *
 * <p>Not thread-safe: owned by one buffer and called only with that buffer's lock held.
 */
final class BufferStatistics {
    /** Stores per layer, indexed by layer, grown on demand: no boxing per store. */
    private long[] insertionsByLayer = new long[0];
    private final Map<Integer, Long> evictionsPerLayer = new TreeMap<>();
    private long insertions;
    private long evictions;
    private long rejections;

    void stored(int layer) {
        insertions++;
        if (layer >= insertionsByLayer.length) {
            insertionsByLayer = Arrays.copyOf(insertionsByLayer, Math.max(layer + 1, 2 * insertionsByLayer.length));
        }
        insertionsByLayer[layer]++;
    }

    void rejected() {
        rejections++;
    }

    void evicted(int layer) {
        evictions++;
        evictionsPerLayer.merge(layer, 1L, Long::sum);
    }

    long insertions() {
        return insertions;
    }

    long insertions(int layer) {
        return layer >= 0 && layer < insertionsByLayer.length ? insertionsByLayer[layer] : 0;
    }

    long rejections() {
        return rejections;
    }

    long evictions() {
        return evictions;
    }

    long evictions(int layer) {
        return evictionsPerLayer.getOrDefault(layer, 0L);
    }

    /** Evictions so far keyed by the layer the victim came from (immutable copy). */
    Map<Integer, Long> evictionsPerLayer() {
        return Collections.unmodifiableMap(new TreeMap<>(evictionsPerLayer));
    }

    /**
     * Per layer that holds entries or has ever stored or evicted one: resident entries, insertions, evictions,
     * entry ages (since insertion) and idle times (since the last touch) at {@code nowNanos}, and entries idle for
     * longer than {@code staleAfterNanos}. Walks every resident entry once.
     *
     * @param resident the buffer's entries by layer
     */
    Map<Integer, MemoryInspection.LayerMemory> inspectLayers(Map<Integer, List<MemoryEntry>> resident, long nowNanos,
                                                             long staleAfterNanos) {
        TreeMap<Integer, MemoryInspection.LayerMemory> out = new TreeMap<>();
        Set<Integer> seen = new TreeSet<>(resident.keySet());
        seen.addAll(evictionsPerLayer.keySet());
        for (int l = 0; l < insertionsByLayer.length; l++) {
            if (insertionsByLayer[l] > 0) {
                seen.add(l);
            }
        }
        for (int layer : seen) {
            List<MemoryEntry> list = resident.getOrDefault(layer, List.of());
            double ageSum = 0;
            double idleSum = 0;
            long maxAge = 0;
            long maxIdle = 0;
            long stale = 0;
            for (MemoryEntry e : list) {
                // Differences, not comparisons of raw values: nanoTime may be negative or wrap.
                long age = Math.max(0, nowNanos - e.createdAtNanos());
                long idle = Math.max(0, nowNanos - e.lastAccessAtNanos());
                ageSum += age;
                idleSum += idle;
                maxAge = Math.max(maxAge, age);
                maxIdle = Math.max(maxIdle, idle);
                if (idle > staleAfterNanos) {
                    stale++;
                }
            }
            int n = list.size();
            out.put(layer, new MemoryInspection.LayerMemory(n, insertions(layer), evictions(layer),
                    n == 0 ? 0 : ageSum / n, maxAge, n == 0 ? 0 : idleSum / n, maxIdle, stale));
        }
        return out;
    }
}
