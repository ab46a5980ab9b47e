package dev.cmr.monitor.profile;

import java.util.List;

/**
 * One profiled pass with timestamps: the window [startNanos, endNanos) on the host clock (System.nanoTime), the host
 * spans of its layers and CMR stages, its sync waits, and its device spans already mapped to the host clock.
 * {@code clockErrorBoundNanos} bounds the error of that mapping; it is 0 when there are no device spans. The lists
 * are copied and must not hold nulls.
 *
 * @throws IllegalArgumentException if {@code endNanos < startNanos} or {@code clockErrorBoundNanos < 0}
 */
public record PassTrace(long startNanos, long endNanos, List<HostSpan> hostSpans, List<SyncWaitSpan> syncWaits,
                        List<DeviceSpan> deviceSpans, long clockErrorBoundNanos) implements ProfiledPass {
    public PassTrace {
        Spans.checkOrdered(startNanos, endNanos);
        Spans.checkNonNegative("clockErrorBoundNanos", clockErrorBoundNanos);
        hostSpans = List.copyOf(hostSpans);
        syncWaits = List.copyOf(syncWaits);
        deviceSpans = List.copyOf(deviceSpans);
    }

    @Override
    public long wallNanos() {
        return endNanos - startNanos;
    }
}
