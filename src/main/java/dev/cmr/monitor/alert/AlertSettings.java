package dev.cmr.monitor.alert;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What alerting reads from the monitor's configuration, and nothing else: the alert package depends on this record
 * instead of on {@code MonitoringConfig}, so the facade can depend on alerting without a package cycle.
 * {@code MonitoringConfig.alertSettings()} makes one from a checked configuration; the field comments name the
 * configuration keys. Immutable: the collections are copied.
 *
 * <p>The canonical constructor checks only what alerting would otherwise get silently wrong (missing values,
 * negative or non-finite durations, unknown severities, an empty history); ranges and the other rules of each key
 * are {@code MonitoringConfig}'s to enforce. Messages name the configuration key.
 *
 * @param enableAlerts         {@code enable_alerts}: false makes the manager track and send nothing
 * @param highLatencySeconds   {@code alert_thresholds.high_latency}, seconds of p99 latency
 * @param lowEfficiency        {@code alert_thresholds.low_efficiency}, a ratio in [0, 1]
 * @param highErrorRate        {@code alert_thresholds.high_error_rate}, a ratio in [0, 1]
 * @param alertChannels        {@code alert_channels}: console, log, file, callback
 * @param severityLevels       {@code severity_levels}: the severities that may alert
 * @param alertCooldownSeconds {@code alert_cooldown}: the least time between repeats of a firing alert
 * @param escalationRules      {@code escalation_rules}: seconds a condition must hold, per severity name; a
 *                             severity left out keeps its default delay
 * @param alertFile            {@code alert_file}: the "file" channel's JSON lines file, empty when unset
 * @param maxHistorySize       {@code max_history_size}: notifications the manager keeps by default
 * @param rules                {@code alert_rules}: user rules, added to the defaults (a rule with a default's name
 *                             replaces it)
 */
public record AlertSettings(boolean enableAlerts, double highLatencySeconds, double lowEfficiency,
                            double highErrorRate, List<String> alertChannels, List<String> severityLevels,
                            double alertCooldownSeconds, Map<String, Double> escalationRules,
                            Optional<Path> alertFile, int maxHistorySize, List<AlertRule> rules) {
    /** The {@code alert_channels} names alerting can build: console, log, file, callback. */
    public static final List<String> CHANNEL_NAMES = AlertChannels.NAMES;

    /** Settings without user rules. */
    public AlertSettings(boolean enableAlerts, double highLatencySeconds, double lowEfficiency, double highErrorRate,
                         List<String> alertChannels, List<String> severityLevels, double alertCooldownSeconds,
                         Map<String, Double> escalationRules, Optional<Path> alertFile, int maxHistorySize) {
        this(enableAlerts, highLatencySeconds, lowEfficiency, highErrorRate, alertChannels, severityLevels,
                alertCooldownSeconds, escalationRules, alertFile, maxHistorySize, List.of());
    }

    public AlertSettings {
        rules = List.copyOf(Objects.requireNonNull(rules, "alert_rules must not be null"));
        alertChannels = List.copyOf(Objects.requireNonNull(alertChannels, "alert_channels must not be null"));
        severityLevels = List.copyOf(Objects.requireNonNull(severityLevels, "severity_levels must not be null"));
        escalationRules = Map.copyOf(Objects.requireNonNull(escalationRules, "escalation_rules must not be null"));
        Objects.requireNonNull(alertFile, "alert_file must not be null (use Optional.empty())");
        for (String level : severityLevels) {
            requireSeverity("severity_levels", level);
        }
        requireDelay("alert_cooldown", alertCooldownSeconds);
        escalationRules.forEach((severity, seconds) -> {
            requireSeverity("escalation_rules", severity);
            requireDelay("escalation_rules." + severity, seconds);
        });
        if (maxHistorySize < 1) {
            throw new IllegalArgumentException("max_history_size must be at least 1, was " + maxHistorySize);
        }
    }

    private static void requireSeverity(String key, String name) {
        try {
            Severity.fromConfig(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static void requireDelay(String key, double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(key + " must be a finite number of seconds >= 0, was " + seconds);
        }
    }
}
