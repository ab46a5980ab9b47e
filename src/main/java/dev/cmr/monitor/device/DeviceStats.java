package dev.cmr.monitor.device;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device timeline delivered since it was attached: marks resolved, layer device times paired from them, and
 * what was lost on the way. {@code clockErrorBoundNanos} is the largest device-to-host clock mapping error seen in a
 * drained batch, or -1 before the first batch; {@code lastError} is the most recent vendor error, or null.
 */
public record DeviceStats(String backend, long resolvedMarks, long layerTimes, long unmatchedMarks,
                          long invertedMarks, long droppedMarks, long failedMarks, long clockErrorBoundNanos,
                          String lastError) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("resolved_marks", resolvedMarks);
        m.put("layer_device_times", layerTimes);
        m.put("unmatched_marks", unmatchedMarks);
        m.put("inverted_marks", invertedMarks);
        m.put("dropped_marks", droppedMarks);
        m.put("failed_marks", failedMarks);
        m.put("clock_error_bound_ns", clockErrorBoundNanos);
        m.put("last_error", lastError);
        return m;
    }
}
