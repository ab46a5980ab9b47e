package dev.cmr.monitor.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One health evaluation: a status and score per component, the overall status (the worst component's; NO_DATA
 * only if every component is NO_DATA), the numbers behind it ({@code system}) and the metrics map that alert rules
 * read. Immutable.
 *
 * @param score   the lowest component score, or null when every component is NO_DATA
 * @param metrics the alert contract: {@code system.p99_latency_seconds}, {@code system.error_rate},
 *                {@code hooks.error_rate}, {@code memory_buffer.capture_efficiency},
 *                {@code memory_buffer.storage_efficiency}, {@code memory_buffer.utilization},
 *                {@code memory_buffer.evictions_per_insert}, {@code reconstruction.quality},
 *                {@code retrieval_system.cache_hit_rate}, {@code <component>.health_score},
 *                {@code system.health_score}; a name is absent when there is no data for it
 */
public record HealthReport(long timestampEpochMillis, HealthStatus status, Integer score,
                           Map<String, ComponentHealth> components, Map<String, Double> metrics,
                           Map<String, Object> system) {
    /** The name of the overall verdict: its facts are {@code system}, its score is {@code system.health_score}. */
    public static final String SYSTEM = HealthComponent.SYSTEM;
    /** Every name with a {@code <name>.health_score} metric: the components in report order, then {@code system}. */
    public static final List<String> SCORED_NAMES = HealthComponent.scoredKeys();

    public HealthReport {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        system = Collections.unmodifiableMap(new LinkedHashMap<>(system));
    }

    /** Aggregates components worst-wins and adds their scores to {@code metrics}. */
    static HealthReport of(long timestampEpochMillis, List<ComponentHealth> components, Map<String, Double> metrics,
                           Map<String, Object> system) {
        HealthStatus overall = HealthStatus.NO_DATA;
        Integer score = null;
        Map<String, ComponentHealth> byName = new LinkedHashMap<>();
        Map<String, Double> allMetrics = new LinkedHashMap<>(metrics);
        for (ComponentHealth c : components) {
            byName.put(c.name(), c);
            overall = HealthStatus.worst(overall, c.status());
            if (c.score() != null) {
                score = score == null ? c.score() : Math.min(score, c.score());
                allMetrics.put(scoreMetric(c.name()), (double) c.score());
            }
        }
        if (score != null) {
            allMetrics.put(scoreMetric(SYSTEM), (double) score);
        }
        return new HealthReport(timestampEpochMillis, overall, score, byName, allMetrics, system);
    }

    /** The metric that carries the score of a component, or of {@link #SYSTEM}: {@code <name>.health_score}. */
    public static String scoreMetric(String name) {
        return name + ".health_score";
    }

    /** @throws IllegalArgumentException for a name not in {@link HealthComponent#keys()} */
    public ComponentHealth component(String name) {
        ComponentHealth c = components.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown component '" + name + "'; components are "
                    + components.keySet());
        }
        return c;
    }

    /** {@code timestamp} (epoch seconds), {@code status}, {@code score}, {@code components}, {@code metrics}, {@code system}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", timestampEpochMillis / 1e3);
        m.put("status", status.name());
        m.put("score", score);
        Map<String, Object> c = new LinkedHashMap<>();
        components.forEach((name, health) -> c.put(name, health.toMap()));
        m.put("components", c);
        m.put("metrics", new LinkedHashMap<>(metrics));
        m.put(SYSTEM, new LinkedHashMap<>(system));
        return m;
    }
}
