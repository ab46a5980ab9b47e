package dev.cmr.monitor.profile;

/**
 * Device work of a layer on one queue or stream, already mapped to the host clock (nanoseconds, [startNanos,
 * endNanos)). {@code kernel} names one kernel, or is null for a whole-layer span taken from the layer's start and
 * end marks. {@code enqueueEndNanos} is the host time at which the launch or enqueue call returned, or
 * {@link #UNKNOWN} when it was not recorded.
 *
 * @throws IllegalArgumentException if {@code endNanos < startNanos} or {@code enqueueEndNanos < -1}
 */
public record DeviceSpan(int queue, int layer, String kernel, long enqueueEndNanos, long startNanos, long endNanos) {
    /** The value of {@link #enqueueEndNanos} when the enqueue time is not known. */
    public static final long UNKNOWN = -1;

    public DeviceSpan {
        Spans.checkOrdered(startNanos, endNanos);
        if (enqueueEndNanos < UNKNOWN) {
            throw new IllegalArgumentException("enqueueEndNanos must be >= 0, or -1 when unknown, was "
                    + enqueueEndNanos);
        }
    }

    public long lengthNanos() {
        return endNanos - startNanos;
    }

    public boolean wholeLayer() {
        return kernel == null;
    }

    public boolean enqueueKnown() {
        return enqueueEndNanos != UNKNOWN;
    }
}
