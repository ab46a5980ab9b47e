package dev.cmr.monitor.health;

import java.util.Arrays;
import java.util.List;

/**
 * The parts of the monitored system that health judges, in report order. Their {@link #key()}s are the names in
 * {@link HealthReport#components()}, the {@code <key>.*} metrics that alert rules read, and the components that
 * errors are attributed to ({@link HealthEvaluator#componentOfError}). The overall verdict is not a component: it is
 * reported as {@link HealthReport#SYSTEM}.
 *
 * <p>The single source of these names: the alert package (which may not know health) receives them from the
 * wiring, and the diagnose package's copy is compared with them by a test.
 */
public enum HealthComponent {
    MEMORY_BUFFER("memory_buffer"),
    RETRIEVAL_SYSTEM("retrieval_system"),
    RECONSTRUCTION("reconstruction"),
    HOOKS("hooks"),
    DEVICE("device"),
    HOST("host");

    private static final List<String> KEYS = Arrays.stream(values()).map(HealthComponent::key).toList();

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
}
