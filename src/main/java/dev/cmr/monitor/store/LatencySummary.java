package dev.cmr.monitor.store;

import org.HdrHistogram.Histogram;

/**
 * Latency of one stage (or one stage at one layer), in nanoseconds. Count and total are exact; max and the
 * percentiles come from HdrHistogram at two significant digits: each is the highest value of its bucket, at most
 * 0.78% above the recorded value it stands for (exact below 256 ns).
 */
public record LatencySummary(long count, long totalNanos, long maxNanos, long p50Nanos, long p90Nanos, long p99Nanos) {
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

    static LatencySummary of(long count, long totalNanos, Histogram histogram) {
        if (count == 0) {
            return EMPTY;
        }
        return new LatencySummary(count, totalNanos, histogram.getMaxValue(),
                histogram.getValueAtPercentile(50.0),
                histogram.getValueAtPercentile(90.0),
                histogram.getValueAtPercentile(99.0));
    }

    /** Mean in nanoseconds, or 0 when nothing was recorded. */
    public double meanNanos() {
        return count == 0 ? 0.0 : (double) totalNanos / count;
    }
}
