package dev.cmr.monitor.diagnose;

import java.util.List;

/**
 * The health components diagnostics speak of: the {@code component_health} keys when no health evaluator judges
 * ({@link ProvisionalHealth}) and the component of each {@link Recommendation}. They are the health evaluator's
 * component names, which this package may not import (diagnose sits beside health, and the facade hands it health
 * only as a plain map); a test that sees both packages holds them equal.
 */
final class HealthComponentNames {
    static final String MEMORY_BUFFER = "memory_buffer";
    static final String RETRIEVAL_SYSTEM = "retrieval_system";
    static final String RECONSTRUCTION = "reconstruction";
    static final String HOOKS = "hooks";
    static final String DEVICE = "device";
    static final String HOST = "host";
    /** Every component, in the health report's order. */
    static final List<String> ALL = List.of(MEMORY_BUFFER, RETRIEVAL_SYSTEM, RECONSTRUCTION, HOOKS, DEVICE, HOST);

    private HealthComponentNames() {
    }
}
