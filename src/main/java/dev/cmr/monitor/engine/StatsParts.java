package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.store.CumulativeSnapshot;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code MonitorStats} is built from, taken together under the aggregator lock by
 * {@link SnapshotService#takeStats()}: the cumulative counts, the buffer gauge's reading (null without a gauge), the
 * newest intervals, errors, the time since reset, the device timeline's counts (null without a timeline) and the
 * resource samplers' latest values and status, and each component's last error.
 */
public record StatsParts(CumulativeSnapshot snapshot, BufferReading buffer, List<IntervalSnapshot> recent,
                         long totalErrors, Map<String, Map<String, Long>> errorsByComponent, long nowEpochMillis,
                         double secondsSinceReset, DeviceStats device, Map<String, Double> resources,
                         List<ResourcePoller.Status> resourceSamplers,
                         Map<String, ErrorCounter.LastError> lastErrors) {
}
