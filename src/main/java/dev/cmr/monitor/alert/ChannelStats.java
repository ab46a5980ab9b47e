package dev.cmr.monitor.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivery counts of one channel. Immutable.
 *
 * @param lastError the last failure as {@code ExceptionClass: message}, or null if none
 */
public record ChannelStats(String name, long sent, long failed, String lastError) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("sent", sent);
        m.put("failed", failed);
        m.put("last_error", lastError);
        return m;
    }
}
