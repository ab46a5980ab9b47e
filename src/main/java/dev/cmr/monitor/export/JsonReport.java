package dev.cmr.monitor.export;

import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.LatencySummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's report shape: {@code timestamp}, {@code system_health}, {@code performance_metrics {avg_latency,
 * throughput, error_rate}}, {@code component_status}. {@code system_health} is the health report's overall status
 * ({@code GREEN}, {@code YELLOW}, {@code RED} or {@code NO_DATA}); {@code component_status} holds, per component,
 * {@code {status, score, details}} with the numbers and thresholds that decided it (score null for NO_DATA).
 *
 * <ul>
 *   <li>{@code avg_latency}: mean forward-pass time in seconds (null before the first forward pass);</li>
 *   <li>{@code throughput}: forward passes per second since start or reset;</li>
 *   <li>{@code error_rate}: errors per recorded operation (forward passes, captures, reconstructions, retrievals).</li>
 * </ul>
 */
public final class JsonReport {
    static final List<String> COMPONENTS = HealthEvaluator.COMPONENTS;

    private JsonReport() {
    }

    public static Map<String, Object> of(MonitorStats stats, HealthReport health) {
        java.util.Objects.requireNonNull(health, "health");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("timestamp", Instant.ofEpochMilli(stats.timestampEpochMillis()).toString());
        report.put("system_health", health.status().name());
        LatencySummary forward = stats.timing(Stage.FORWARD).overall();
        long operations = forward.count() + stats.totalCaptures() + stats.totalReconstructions()
                + stats.retrieval().totalRetrievals();
        Map<String, Object> performance = new LinkedHashMap<>();
        performance.put("avg_latency", forward.count() == 0 ? null : forward.meanNanos() / 1e9);
        performance.put("throughput", stats.secondsSinceReset() <= 0 ? 0.0 : forward.count() / stats.secondsSinceReset());
        performance.put("error_rate", operations == 0 ? null : (double) stats.totalErrors() / operations);
        report.put("performance_metrics", performance);
        Map<String, Object> components = new LinkedHashMap<>();
        for (String component : COMPONENTS) {
            ComponentHealth c = health.component(component);
            components.put(component, c.toMap());
        }
        report.put("component_status", components);
        return report;
    }
}
