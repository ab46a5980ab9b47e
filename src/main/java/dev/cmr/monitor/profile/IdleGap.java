package dev.cmr.monitor.profile;

/** One idle gap [startNanos, endNanos) on a device queue between two device spans of a pass, host-clock nanoseconds. */
public record IdleGap(int queue, long startNanos, long endNanos, GapKind kind) {
    public long lengthNanos() {
        return endNanos - startNanos;
    }
}
