package dev.cmr.monitor.alert;

import dev.cmr.io.ConfigValues;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One alerting rule: the alert named {@code name} holds while {@code metric} compares with {@code threshold} as
 * {@code comparison} says. The metric is a key of the map the health checks produce, {@code <component>.<name>}
 * (for example {@code system.p99_latency_seconds}); the part before the first '.' is the rule's component, which
 * inhibition groups by. The condition must hold for the severity's escalation delay ({@code escalation_rules}),
 * or for {@code forDuration} when given, before the alert fires. Immutable; every argument is checked when the
 * rule is made and a bad one is named in the exception.
 *
 * @param forDuration the hold time that replaces the severity's escalation delay, or null to use that delay
 */
public record AlertRule(String name, String metric, Comparison comparison, double threshold, Severity severity,
                        Duration forDuration) {
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_.\\-]+");

    public AlertRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("alert rule name must not be blank, was " + quoted(name));
        }
        if (metric == null || !METRIC.matcher(metric).matches() || metric.endsWith(".")) {
            throw new IllegalArgumentException(rule(name)
                    + ": metric must look like <component>.<name> (letters, digits, '_', '-', '.'), was "
                    + quoted(metric));
        }
        Objects.requireNonNull(comparison, () -> rule(name) + ": comparison must not be null");
        Objects.requireNonNull(severity, () -> rule(name) + ": severity must not be null");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException(rule(name) + ": threshold must be a finite number, was " + threshold);
        }
        if (forDuration != null && forDuration.isNegative()) {
            throw new IllegalArgumentException(rule(name) + ": forDuration must not be negative, was " + forDuration);
        }
    }

    /** A rule that holds while the metric is greater than the threshold. */
    public static AlertRule above(String name, String metric, double threshold, Severity severity) {
        return new AlertRule(name, metric, Comparison.ABOVE, threshold, severity, null);
    }

    /** A rule that holds while the metric is less than the threshold. */
    public static AlertRule below(String name, String metric, double threshold, Severity severity) {
        return new AlertRule(name, metric, Comparison.BELOW, threshold, severity, null);
    }

    /** This rule with its own hold time instead of the severity's escalation delay. */
    public AlertRule withFor(Duration holdTime) {
        Objects.requireNonNull(holdTime, () -> rule(name) + ": forDuration must not be null");
        return new AlertRule(name, metric, comparison, threshold, severity, holdTime);
    }

    /** The part of the metric before the first '.', e.g. {@code memory_buffer}. */
    public String component() {
        return metric.substring(0, metric.indexOf('.'));
    }

    public Optional<Duration> forDurationOverride() {
        return Optional.ofNullable(forDuration);
    }

    /** Whether the condition holds for a value; NaN (no data) never holds. */
    public boolean holds(double value) {
        return comparison.holds(value, threshold);
    }

    /** The rule as a JSON-ready map with snake_case keys; {@code for_seconds} only when overridden. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("metric", metric);
        m.put("component", component());
        m.put("comparison", comparison.configName());
        m.put("threshold", threshold);
        m.put("severity", severity.configName());
        if (forDuration != null) {
            m.put("for_seconds", forDuration.toNanos() / 1e9);
        }
        return m;
    }

    /** How messages name a rule: its name in single quotes, escaped and cut as input values are. */
    private static String rule(String name) {
        return "alert rule '" + ConfigValues.printable(name) + "'";
    }

    private static String quoted(String s) {
        return ConfigValues.quoted(s);
    }
}
