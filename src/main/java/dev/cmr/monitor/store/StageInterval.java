package dev.cmr.monitor.store;

/**
 * One stage's latency over an interval, in nanoseconds. For a raw interval p50 and p99 come from HdrHistogram; for
 * a downsampled entry they are the largest of the merged intervals' values, an upper bound (histograms are not
 * kept per interval, which is what keeps history memory fixed).
 */
public record StageInterval(long count, long totalNanos, long maxNanos, long p50Nanos, long p99Nanos) {
    public static final StageInterval EMPTY = new StageInterval(0, 0, 0, 0, 0);

    public double meanNanos() {
        return count == 0 ? 0.0 : (double) totalNanos / count;
    }

    /** Both intervals as one: counts and totals add up; max, p50 and p99 become the larger (an upper bound). */
    public StageInterval merge(StageInterval newer) {
        return new StageInterval(count + newer.count, totalNanos + newer.totalNanos, Math.max(maxNanos, newer.maxNanos),
                Math.max(p50Nanos, newer.p50Nanos), Math.max(p99Nanos, newer.p99Nanos));
    }
}
