package dev.cmr.monitor;

import dev.cmr.monitor.store.LatencySummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timing of one stage: over all layers, per layer (only layers that recorded something), and over the recent
 * window of closed intervals.
 */
public record StageStats(LatencySummary overall, Map<Integer, LatencySummary> perLayer, RecentWindow recent) {
    public StageStats {
        perLayer = Map.copyOf(perLayer);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = latencyMap(overall);
        Map<Integer, Object> layers = new LinkedHashMap<>();
        perLayer.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> layers.put(e.getKey(), latencyMap(e.getValue())));
        m.put("per_layer", layers);
        m.put("recent", recent.toMap());
        return m;
    }

    static Map<String, Object> latencyMap(LatencySummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("total", seconds(s.totalNanos()));
        m.put("avg", s.meanNanos() / 1e9);
        m.put("p50", seconds(s.p50Nanos()));
        m.put("p90", seconds(s.p90Nanos()));
        m.put("p99", seconds(s.p99Nanos()));
        m.put("max", seconds(s.maxNanos()));
        return m;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
