package dev.cmr.monitor.profile;

/**
 * Host time inside one blocking device call (queue finish, blocking read, event synchronize) of a layer, nested in
 * that layer's span. Host-clock nanoseconds, [startNanos, endNanos).
 *
 * @throws IllegalArgumentException if {@code endNanos < startNanos}
 */
public record SyncWaitSpan(int layer, long startNanos, long endNanos) {
    public SyncWaitSpan {
        Spans.checkOrdered(startNanos, endNanos);
    }

    public long lengthNanos() {
        return endNanos - startNanos;
    }
}
