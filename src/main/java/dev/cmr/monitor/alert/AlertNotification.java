package dev.cmr.monitor.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message sent to the channels: an alert fired (or is still firing, {@code repeat > 0}) or resolved.
 * Immutable.
 *
 * @param status      {@link Status#FIRING} or {@link Status#RESOLVED}
 * @param value       the metric's value at this evaluation; NaN when the metric had no data (a resolve by no data)
 * @param timestamp   wall-clock time of the evaluation that sent it
 * @param activeSince wall-clock time of the first evaluation at which the condition held in this episode
 * @param repeat      0 for the first firing notification of an episode, n for the n-th repeat after the cooldown;
 *                    for a resolved notice, the number of firing notifications sent before it
 * @param reason      why it was sent: {@code condition_holds}, {@code condition_cleared} or {@code no_data}
 */
public record AlertNotification(Status status, AlertRule rule, double value, Instant timestamp, Instant activeSince,
                                int repeat, String reason) {
    /** Alertmanager's two notification states. */
    public enum Status {
        FIRING,
        RESOLVED;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final String CONDITION_HOLDS = "condition_holds";
    static final String CONDITION_CLEARED = "condition_cleared";
    static final String NO_DATA = "no_data";

    public String ruleName() {
        return rule.name();
    }

    public String metric() {
        return rule.metric();
    }

    public String component() {
        return rule.component();
    }

    public Severity severity() {
        return rule.severity();
    }

    /** One line for people, e.g. {@code FIRING critical high_latency_critical: system.p99_latency_seconds = 0.52 (above 0.3)}. */
    public String message() {
        String shown = Double.isNaN(value) ? "no data" : Double.toString(value);
        return status + " " + rule.severity().configName() + " " + rule.name() + ": " + rule.metric() + " = " + shown
                + " (" + rule.comparison().configName() + " " + rule.threshold() + ")"
                + (repeat > 0 && status == Status.FIRING ? " repeat " + repeat : "")
                + (NO_DATA.equals(reason) ? ", resolved for lack of data" : "");
    }

    /** The notification as a JSON-ready map with snake_case keys; {@code value} is null when there was no data. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.configName());
        m.put("rule", rule.name());
        m.put("metric", rule.metric());
        m.put("component", rule.component());
        m.put("severity", rule.severity().configName());
        m.put("comparison", rule.comparison().configName());
        m.put("threshold", rule.threshold());
        m.put("value", Double.isFinite(value) ? value : null);
        m.put("timestamp", timestamp.toString());
        m.put("active_since", activeSince.toString());
        m.put("repeat", repeat);
        m.put("reason", reason);
        m.put("message", message());
        return m;
    }
}
