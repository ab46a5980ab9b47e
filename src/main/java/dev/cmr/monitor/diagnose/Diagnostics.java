package dev.cmr.monitor.diagnose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link DiagnosticsReport} from a {@link DiagnosticsInput}: the analyses, the recommendation
 * {@link Rules}, and the given component health (null: provisional, see {@code ProvisionalHealth}).
 * Stateless; runs on the caller's thread and never touches the record path.
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /** @param componentHealth the health evaluator's component map, or null when none is plugged in */
    public static DiagnosticsReport run(DiagnosticsInput input, Map<String, ?> componentHealth) {
        HookAnalysis hooks = HookAnalysis.of(input);
        MemoryAnalysis memory = MemoryAnalysis.of(input);
        ErrorSummary errors = ErrorSummary.of(input);
        List<Recommendation> recommendations = Rules.apply(hooks, memory, errors);
        Map<String, Object> health = componentHealth == null ? ProvisionalHealth.of(recommendations)
                : new LinkedHashMap<>(componentHealth);
        return new DiagnosticsReport(input.timestampEpochMillis(), health, hooks, memory, errors, recommendations);
    }
}
