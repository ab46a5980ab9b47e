package dev.cmr.monitor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timing of the blocks run under one {@link CmrPerformanceMonitor#trackPerformance(String) trackPerformance} name
 * since start or reset, in nanoseconds. Percentiles come from HdrHistogram at two significant digits. Failed blocks
 * are timed too, and counted in {@code failures}.
 */
public record TrackedStats(String name, long count, long failures, long totalNanos, long p50Nanos, long p99Nanos,
                           long maxNanos) {

    public double meanNanos() {
        return count == 0 ? 0.0 : (double) totalNanos / count;
    }

    /** Seconds, snake_case keys. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("failures", failures);
        m.put("total", totalNanos / 1e9);
        m.put("avg", meanNanos() / 1e9);
        m.put("p50", p50Nanos / 1e9);
        m.put("p99", p99Nanos / 1e9);
        m.put("max", maxNanos / 1e9);
        return m;
    }
}
