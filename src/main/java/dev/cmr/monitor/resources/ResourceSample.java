package dev.cmr.monitor.resources;

import java.util.Map;

/**
 * One reading of a resource sampler: named gauges taken at {@code timestampNanos} on the {@link System#nanoTime()}
 * clock. Gauge names are snake_case with their unit as a suffix ({@code process_rss_bytes}, {@code gpu_power_mw}).
 * A gauge the source could not read this time is absent, never zero.
 */
public record ResourceSample(String source, long timestampNanos, Map<String, Double> values) {
    public ResourceSample {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be a non-blank name");
        }
        values = Map.copyOf(values);
    }
}
