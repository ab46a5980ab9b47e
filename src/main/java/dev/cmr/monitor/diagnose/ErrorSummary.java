package dev.cmr.monitor.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code error_summary} section: the monitor's error counts per component and exception class, and the error
 * rate (errors per recorded operation: forward passes, captures, reconstructions and retrievals, as the JSON
 * report defines it). Hook failures appear under component {@code hook:<name>}.
 *
 * @param errorRate null when no operation was recorded
 */
public record ErrorSummary(long totalErrors, long operations, Double errorRate, double threshold,
                           Map<String, Map<String, Long>> byComponent) {
    public ErrorSummary {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        byComponent.forEach((c, byClass) -> copy.put(c, Map.copyOf(byClass)));
        byComponent = java.util.Collections.unmodifiableMap(copy);
    }

    static ErrorSummary of(DiagnosticsInput input) {
        return new ErrorSummary(input.totalErrors(), input.operations(),
                input.operations() == 0 ? null : (double) input.totalErrors() / input.operations(),
                input.highErrorRate(), input.errorsByComponent());
    }

    /** Errors of one component over all classes. */
    public long errors(String component) {
        return byComponent.getOrDefault(component, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_errors", totalErrors);
        m.put("operations", operations);
        m.put("error_rate", errorRate);
        m.put("high_error_rate_threshold", threshold);
        Map<String, Object> components = new LinkedHashMap<>();
        byComponent.forEach((component, byClass) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("errors", errors(component));
            c.put("by_class", new TreeMap<>(byClass));
            components.put(component, c);
        });
        m.put("by_component", components);
        return m;
    }
}
