package dev.cmr.monitor.diagnose;

import dev.cmr.monitor.spi.MemoryInspection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code memory_analysis} section. Per layer: utilization (resident over {@code max_entries_per_layer}),
 * insertions and evictions with their rates over the buffer's counting window, churn (evictions per insertion),
 * entry age and idle time, stale entries. Overall: the retrieval cache hit rate (from the monitor's record path) and
 * stale entries in total.
 *
 * <p>Evictions are attributed to the layer the victim came from. Every ratio is null when its denominator is zero:
 * no number is made up.
 *
 * @param available          false when no gauge offered an inspection
 * @param windowSeconds      the buffer's counting window (its life so far); null without an inspection
 * @param staleAfterSeconds  the stale age used
 * @param maxEntriesPerLayer per-layer capacity (0 without an inspection)
 * @param totalLimit         total capacity after the cleanup threshold (0 without an inspection)
 * @param relevanceThreshold the buffer's relevance threshold (NaN without an inspection)
 * @param layers             per layer, ascending
 * @param retrievals         retrievals recorded by the monitor
 * @param cacheHitRate       cache hits per retrieval; null without retrievals
 */
public record MemoryAnalysis(boolean available, Double windowSeconds, double staleAfterSeconds,
                             int maxEntriesPerLayer, int totalLimit, double relevanceThreshold,
                             List<LayerDiagnosis> layers, long retrievals, Double cacheHitRate) {

    /** One layer. Rates are per second over the window; null when the window is empty. */
    public record LayerDiagnosis(int layer, long entries, double utilization, long insertions, long evictions,
                                 Double insertsPerSecond, Double evictionsPerSecond, Double churn,
                                 Double meanAgeSeconds, Double maxAgeSeconds, Double meanIdleSeconds,
                                 Double maxIdleSeconds, long staleEntries) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("entries", entries);
            m.put("utilization", utilization);
            m.put("insertions", insertions);
            m.put("evictions", evictions);
            m.put("inserts_per_second", insertsPerSecond);
            m.put("evictions_per_second", evictionsPerSecond);
            m.put("churn", churn);
            m.put("mean_age_seconds", meanAgeSeconds);
            m.put("max_age_seconds", maxAgeSeconds);
            m.put("mean_idle_seconds", meanIdleSeconds);
            m.put("max_idle_seconds", maxIdleSeconds);
            m.put("stale_entries", staleEntries);
            return m;
        }
    }

    public MemoryAnalysis {
        layers = List.copyOf(layers);
    }

    static MemoryAnalysis of(DiagnosticsInput input) {
        Double hitRate = input.retrievals() == 0 ? null : (double) input.cacheHits() / input.retrievals();
        MemoryInspection m = input.memory();
        if (m == null) {
            return new MemoryAnalysis(false, null, input.options().staleAfterSeconds(), 0, 0, Double.NaN, List.of(),
                    input.retrievals(), hitRate);
        }
        double window = m.windowNanos() / 1e9;
        List<LayerDiagnosis> layers = new ArrayList<>();
        m.layers().forEach((layer, l) -> {
            boolean resident = l.entries() > 0;
            layers.add(new LayerDiagnosis(layer, l.entries(), (double) l.entries() / m.maxEntriesPerLayer(),
                    l.insertions(), l.evictions(), window > 0 ? l.insertions() / window : null,
                    window > 0 ? l.evictions() / window : null,
                    l.insertions() == 0 ? null : (double) l.evictions() / l.insertions(),
                    resident ? l.meanAgeNanos() / 1e9 : null, resident ? l.maxAgeNanos() / 1e9 : null,
                    resident ? l.meanIdleNanos() / 1e9 : null, resident ? l.maxIdleNanos() / 1e9 : null,
                    l.staleEntries()));
        });
        return new MemoryAnalysis(true, window, m.staleAfterNanos() / 1e9, m.maxEntriesPerLayer(), m.totalLimit(),
                m.relevanceThreshold(), layers, input.retrievals(), hitRate);
    }

    /** The layer's diagnosis, or null if the buffer never held entries of it. */
    public LayerDiagnosis layer(int layer) {
        for (LayerDiagnosis l : layers) {
            if (l.layer() == layer) {
                return l;
            }
        }
        return null;
    }

    public long residentEntries() {
        return layers.stream().mapToLong(LayerDiagnosis::entries).sum();
    }

    public long staleEntries() {
        return layers.stream().mapToLong(LayerDiagnosis::staleEntries).sum();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!available) {
            m.put("status", "no_data");
            m.put("reason", "no memory buffer gauge with inspection attached (attach a model to the monitor)");
        } else if (layers.isEmpty()) {
            m.put("status", "no_data");
            m.put("reason", "the buffer has stored nothing yet");
        } else {
            m.put("status", "ok");
        }
        if (available) {
            m.put("window_seconds", windowSeconds);
            m.put("stale_after_seconds", staleAfterSeconds);
            m.put("max_entries_per_layer", maxEntriesPerLayer);
            m.put("total_limit", totalLimit);
            m.put("relevance_threshold", relevanceThreshold);
            m.put("resident_entries", residentEntries());
            m.put("stale_entries", staleEntries());
            Map<String, Object> perLayer = new LinkedHashMap<>();
            layers.forEach(l -> perLayer.put(Integer.toString(l.layer()), l.toMap()));
            m.put("layers", perLayer);
        }
        m.put("retrievals", retrievals);
        m.put("cache_hit_rate", cacheHitRate);
        return m;
    }
}
