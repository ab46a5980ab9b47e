package dev.cmr.monitor.record;

import org.HdrHistogram.Histogram;

/**
 * The bucket layout of an HdrHistogram {@link Histogram} with a lowest discernible value of 1 ns, two significant
 * decimal digits and a highest trackable value of {@link #HIGHEST_TRACKABLE_NANOS}, computed here so that writer
 * threads can count into a plain {@code long[]} with ordered stores instead of sharing a histogram.
 *
 * <p>Why not record into HdrHistogram directly: a {@code Histogram} has no safe concurrent reader, and the
 * concurrent variants ({@code Recorder}, {@code AtomicHistogram}) cost atomic read-modify-writes per value. Writers
 * here own their arrays; the reader turns them back into HdrHistogram histograms with {@link #valueAtIndex(int)}, so percentiles are computed by HdrHistogram on exactly the counts it would have held.
 * {@code HdrLayoutProperties} proves the two layouts agree value for value.
 *
 * <p>Precision: two significant digits, i.e. a recorded value's bucket is at most 1/128 (0.78%) wider than the value
 * at the bottom of each power-of-two range, and values below 256 ns are exact. Durations above the highest trackable
 * value are counted in the top bucket (their sum and maximum stay exact elsewhere).
 */
public final class HdrLayout {
    /** 2^36 - 1 ns, about 68.7 s: the longest duration whose percentile bucket is exact to two digits. */
    public static final long HIGHEST_TRACKABLE_NANOS = (1L << 36) - 1;
    public static final int SIGNIFICANT_DIGITS = 2;

    // 2 digits need single-unit resolution up to 2 * 10^2 = 200, so sub-buckets come in powers of two of 2^8 = 256.
    private static final int SUB_BUCKET_COUNT_MAGNITUDE = 8;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (1L << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
    // A value v lies in bucket b when its highest set bit is at position b + 7 (for v >= 256); OR-ing with the
    // sub-bucket mask makes every v < 256 land in bucket 0. With unit magnitude 0 the base is 64 - 8.
    private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_COUNT_MAGNITUDE;
    // Buckets needed so that 256 << (buckets - 1) exceeds 2^36 - 1: 256 * 2^28 = 2^36, so 29.
    private static final int BUCKET_COUNT = 29;
    /** Counts needed to cover every trackable value: (buckets + 1) * half the sub-bucket count. */
    public static final int LENGTH = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;
    /**
     * Counts a writer starts a slot with: enough for durations up to 2^24 ns (16.8 ms), which covers most per-layer
     * events in 18 KB instead of 30 KB. A longer duration grows the slot's array to {@link #LENGTH} once.
     */
    public static final int INITIAL_LENGTH = 18 * SUB_BUCKET_HALF_COUNT;

    private HdrLayout() {
    }

    /**
     * Index of the count for {@code nanos}, which must be {@code >= 0}; values above the highest trackable value map
     * to the last index. A handful of shifts, no branches but the clamp.
     */
    public static int index(long nanos) {
        long v = Math.min(nanos, HIGHEST_TRACKABLE_NANOS);
        int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(v | SUB_BUCKET_MASK);
        // In bucket b the sub-bucket is v >> b, which lies in [128, 256) for b > 0 and in [0, 256) for b == 0.
        int subBucket = (int) (v >>> bucket);
        // Bucket 0 uses all 256 sub-buckets; every later bucket only its upper half (the lower half would repeat
        // bucket b - 1 at half the resolution). So bucket b starts at (b + 1) * 128 and the offset is sub - 128.
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucket - SUB_BUCKET_HALF_COUNT;
    }

    /** The lowest value that maps to {@code index}: the inverse of {@link #index(long)} on bucket boundaries. */
    public static long valueAtIndex(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return ((long) subBucket) << bucket;
    }

    /** A new, empty HdrHistogram with this layout covering the whole range. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * A new, empty HdrHistogram with this layout that grows its counts as larger values arrive, so that its memory
     * follows the largest value seen; reader-side merged histograms use it.
     */
    public static Histogram newGrowingHistogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    /** The count at {@code index} in {@code h}, which must have this layout; 0 beyond its current range. */
    public static long countAtIndex(Histogram h, int index) {
        long value = valueAtIndex(index);
        return value > h.getHighestTrackableValue() ? 0 : h.getCountAtValue(value);
    }
}
