package dev.cmr.monitor.profile;

import java.util.List;
import java.util.Map;

/**
 * One profiled pass with timestamps: the window [startNanos, endNanos) on the host clock (System.nanoTime), the host
 * spans of its layers and CMR stages, its sync waits, and its device spans already mapped to the host clock.
 * {@code clockErrorBoundNanos} bounds the error of that mapping; it is 0 when there are no device spans.
 *
 * <p>{@code deviceDurations}: device time per layer that the profiled thread recorded as durations without
 * timestamps ({@code recordDeviceTime}), in nanoseconds; empty when none. A layer's device time comes from the
 * device spans when the pass has any, and from these durations only when it has none (then the pass has device
 * numbers but no device timeline: no partition, busy ratio or gaps).
 *
 * <p>The lists and the map are copied and must not hold nulls.
 *
 * @throws IllegalArgumentException if {@code endNanos < startNanos}, {@code clockErrorBoundNanos < 0} or a device
 *                                  duration is negative
 */
public record PassTrace(long startNanos, long endNanos, List<HostSpan> hostSpans, List<SyncWaitSpan> syncWaits,
                        List<DeviceSpan> deviceSpans, long clockErrorBoundNanos, Map<Integer, Long> deviceDurations)
        implements ProfiledPass {
    public PassTrace {
        Spans.checkOrdered(startNanos, endNanos);
        Spans.checkNonNegative("clockErrorBoundNanos", clockErrorBoundNanos);
        hostSpans = List.copyOf(hostSpans);
        syncWaits = List.copyOf(syncWaits);
        deviceSpans = List.copyOf(deviceSpans);
        deviceDurations.values().forEach(nanos -> Spans.checkNonNegative("deviceDurations", nanos));
        deviceDurations = Map.copyOf(deviceDurations);
    }

    /** A pass without device durations. */
    public PassTrace(long startNanos, long endNanos, List<HostSpan> hostSpans, List<SyncWaitSpan> syncWaits,
                     List<DeviceSpan> deviceSpans, long clockErrorBoundNanos) {
        this(startNanos, endNanos, hostSpans, syncWaits, deviceSpans, clockErrorBoundNanos, Map.of());
    }

    @Override
    public long wallNanos() {
        return endNanos - startNanos;
    }
}
