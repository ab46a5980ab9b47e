package dev.cmr.monitor.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pending or firing alert as of the last evaluation. Immutable.
 *
 * @param value          the metric's last value with data (NaN if none yet)
 * @param activeSince    when the condition started holding (wall clock)
 * @param firedAt        when it fired, or null while pending
 * @param lastNotifiedAt when a firing notification for it was last sent, or null if none was (pending, or
 *                       inhibited since it fired)
 * @param inhibited      a firing critical alert on the same component withholds this warning's notifications
 * @param noData         the metric had no data at the last evaluation; a firing alert keeps firing for a while
 */
public record ActiveAlert(AlertRule rule, AlertState state, double value, Instant activeSince, Instant firedAt,
                          Instant lastNotifiedAt, boolean inhibited, boolean noData) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule.name());
        m.put("metric", rule.metric());
        m.put("component", rule.component());
        m.put("severity", rule.severity().configName());
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("value", Double.isFinite(value) ? value : null);
        m.put("threshold", rule.threshold());
        m.put("active_since", activeSince.toString());
        m.put("fired_at", firedAt == null ? null : firedAt.toString());
        m.put("last_notified_at", lastNotifiedAt == null ? null : lastNotifiedAt.toString());
        m.put("inhibited", inhibited);
        m.put("no_data", noData);
        return m;
    }
}
