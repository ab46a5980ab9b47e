package dev.cmr.monitor.health;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parts of the monitored system that health judges, in report order. Their {@link #key()}s are the names in
 * {@link HealthReport#components()}, the {@code <key>.*} metrics that alert rules read, and the components that
 * errors are attributed to ({@link HealthEvaluator#componentOfError}). The overall verdict is not a component: it is
 * reported as {@link #SYSTEM}.
 *
 * <p>The single source of these names. Alerting (its default health rules) and diagnostics (provisional component
 * health, recommendations) read them here: with {@link HealthStatus}, this enum is the vocabulary those packages may
 * take from health, and it depends on nothing.
 */
public enum HealthComponent {
    MEMORY_BUFFER("memory_buffer"),
    RETRIEVAL_SYSTEM("retrieval_system"),
    RECONSTRUCTION("reconstruction"),
    HOOKS("hooks"),
    DEVICE("device"),
    HOST("host");

    /** The name of the overall verdict: its facts are {@code system}, its score is {@code system.health_score}. */
    public static final String SYSTEM = "system";

    private static final List<String> KEYS = Arrays.stream(values()).map(HealthComponent::key).toList();
    private static final List<String> SCORED_KEYS = Stream.concat(KEYS.stream(), Stream.of(SYSTEM)).toList();

    private final String key;

    HealthComponent(String key) {
        this.key = key;
    }

    /** The snake_case name used in reports, metrics and configuration. */
    public String key() {
        return key;
    }

    /** Every component's key, in report order. */
    public static List<String> keys() {
        return KEYS;
    }

    /** Every name with a {@code <name>.health_score} metric: the components in report order, then {@link #SYSTEM}. */
    public static List<String> scoredKeys() {
        return SCORED_KEYS;
    }
}
