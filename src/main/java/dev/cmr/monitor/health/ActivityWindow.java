package dev.cmr.monitor.health;

import java.util.Map;

/**
 * Counts over the window since an evaluation about {@code live_window} ago: differences of the cumulative counts
 * in {@link HealthSample}. Error rates are computed from these, so numerator and denominator cover the same span.
 *
 * @param windowMillis      the span the differences cover
 * @param errors            errors per health component
 * @param hookCalls         hook invocations, or null without a hook source
 * @param hookOverheadNanos host time inside hooks, or null without a hook source
 */
public record ActivityWindow(long windowMillis, Map<String, Long> errors, long captures, long retrievals,
                             long reconstructions, long forwards, long forwardNanos, Long hookCalls,
                             Long hookOverheadNanos) {
    public ActivityWindow {
        errors = Map.copyOf(errors);
    }

    public long errorsOf(String component) {
        return errors.getOrDefault(component, 0L);
    }
}
