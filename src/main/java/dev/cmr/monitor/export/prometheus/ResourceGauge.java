package dev.cmr.monitor.export.prometheus;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.List;

/**
 * The Prometheus name and scale of one resource sampler gauge (a key {@code <source>.<gauge>} of
 * {@code MonitorStats.resources()}): the unit in the gauge's suffix becomes a base unit, so {@code jvm_gc_time_ms}
 * is exported as {@code cmr_resource_jvm_gc_time_seconds} (value / 1000) and {@code system_cpu_percent} as
 * {@code cmr_resource_system_cpu_ratio} (value / 100); a sampled count ({@code jvm_thread_count}) becomes
 * {@code cmr_resource_jvm_thread_current}, since {@code _count} names a summary's or histogram's count. Gauges without
 * a known suffix keep their name.
 *
 * @param name   the family name, {@code cmr_resource_<gauge in base units>}
 * @param factor what the sampler's value is multiplied by
 */
record ResourceGauge(String name, double factor) {
    private record Suffix(String from, String to, double factor) {
    }

    // Longest suffixes first where one ends another ("_mj" before a bare "_j" would matter if both existed).
    private static final List<Suffix> SUFFIXES = List.of(
            new Suffix("_ms", "_seconds", 1e-3),
            new Suffix("_percent", "_ratio", 1e-2),
            new Suffix("_mw", "_watts", 1e-3),
            new Suffix("_mj", "_joules", 1e-3),
            new Suffix("_mhz", "_hertz", 1e6),
            new Suffix("_c", "_celsius", 1),
            // A sampled count is a gauge; promtool reads a bare "_count" as part of a summary or histogram.
            new Suffix("_count", "_current", 1));

    static ResourceGauge of(String gauge) {
        for (Suffix s : SUFFIXES) {
            if (gauge.endsWith(s.from)) {
                String base = gauge.substring(0, gauge.length() - s.from.length()) + s.to;
                return new ResourceGauge(sanitize(base), s.factor);
            }
        }
        return new ResourceGauge(sanitize(gauge), 1);
    }

    private static String sanitize(String gauge) {
        return PrometheusNaming.sanitizeMetricName(MetricNames.RESOURCE_PREFIX + gauge);
    }
}
