package dev.cmr.monitor.profile;

/**
 * The mean per pass of {@link PassPartition} over the passes that had timestamps, in nanoseconds; the four parts add
 * up to {@code wallNanos} (the mean wall time of those passes) up to floating-point rounding.
 */
public record MeanPartition(double wallNanos, double hostOnlyNanos, double deviceOnlyNanos, double overlapNanos,
                           double idleNanos) {
}
