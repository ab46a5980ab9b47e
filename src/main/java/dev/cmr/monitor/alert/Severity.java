package dev.cmr.monitor.alert;

import dev.cmr.io.ConfigValues;

import java.util.List;

/**
 * How urgent an alert is. The configuration names severities in lower case ({@code severity_levels},
 * {@code escalation_rules}); the order here is the order of urgency, least urgent first.
 */
public enum Severity {
    WARNING("warning", 300),
    ERROR("error", 30),
    CRITICAL("critical", 0);

    private static final List<String> NAMES = List.of("warning", "error", "critical");

    private final String configName;
    private final double defaultDelaySeconds;

    Severity(String configName, double defaultDelaySeconds) {
        this.configName = configName;
        this.defaultDelaySeconds = defaultDelaySeconds;
    }

    /** The lower-case name used in configuration and in JSON output. */
    public String configName() {
        return configName;
    }

    /** The seed's escalation delay, used only when the configuration has none for this severity. */
    double defaultDelaySeconds() {
        return defaultDelaySeconds;
    }

    /** The severity for a configuration name such as {@code "warning"}. */
    public static Severity fromConfig(String name) {
        for (Severity s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("severity must be one of " + NAMES + ", was " + ConfigValues.quoted(name));
    }
}
