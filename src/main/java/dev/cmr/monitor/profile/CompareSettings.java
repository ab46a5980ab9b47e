package dev.cmr.monitor.profile;

import static dev.cmr.io.ConfigValues.atLeast;
import static dev.cmr.io.ConfigValues.inClosedRange;

/**
 * How {@link ProfileComparator} judges a change. Immutable; build it with {@link #builder()}, whose
 * {@link Builder#build()} checks every value ({@code <key> must be ...} messages, as the configuration's).
 *
 * <pre>
 * key               default      allowed        meaning
 * threshold         0.10         [0, 10]        smallest change worth flagging, as a ratio of medians: a regression
 *                                               needs current / baseline above 1 + threshold over the whole interval,
 *                                               an improvement needs baseline / current above 1 + threshold
 * confidence        0.95         [0.5, 0.999]   coverage of the bootstrap interval
 * min_samples       10           >= 2           per side; fewer passes give NOT_ENOUGH_DATA
 * noise_floor_ns    1000         [1, 1e9]       both medians below it: NOT_JUDGED; samples below it count as it
 * resamples         2000         >= 100         bootstrap resamples per side and metric
 * seed              0x5EED       any            base of the resampling streams; same inputs, same seed, same result
 * </pre>
 *
 * <p>{@code resamples} must also leave at least one resample in each tail of the interval:
 * {@code (1 - confidence) / 2 * resamples >= 1}.
 */
public record CompareSettings(double threshold, double confidence, int minSamples, long noiseFloorNanos,
        int resamples, long seed) {
    public static final double DEFAULT_THRESHOLD = 0.10;
    public static final double MIN_THRESHOLD = 0;
    /** A threshold of 10 flags only an 11-fold slowdown; anything above is no longer a regression test. */
    public static final double MAX_THRESHOLD = 10;
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** Below ten passes a resample's median can take only a handful of values, so the interval is too coarse. */
    public static final int DEFAULT_MIN_SAMPLES = 10;
    /** 1 µs: System.nanoTime's resolution and the cost of reading it are tens of ns, jitter below 1 µs is common. */
    public static final long DEFAULT_NOISE_FLOOR_NANOS = 1_000;
    /** Enough that the 2.5% and 97.5% percentiles each rest on 50 resamples. */
    public static final int DEFAULT_RESAMPLES = 2_000;
    public static final long DEFAULT_SEED = 0x5EED;

    public static final CompareSettings DEFAULTS = builder().build();

    public CompareSettings {
        inClosedRange("threshold", threshold, MIN_THRESHOLD, MAX_THRESHOLD);
        inClosedRange("confidence", confidence, 0.5, 0.999);
        atLeast("min_samples", minSamples, 2);
        inClosedRange("noise_floor_ns", noiseFloorNanos, 1, 1e9);
        atLeast("resamples", resamples, 100);
        if (tailIndex(confidence, resamples) < 1) {
            throw new IllegalArgumentException("resamples must be >= " + (int) Math.ceil(2 / (1 - confidence))
                    + " for a confidence of " + confidence + ", was " + resamples);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The relative change the whole interval must lie below for an IMPROVEMENT: {@code 1 / (1 + threshold) - 1}, the
     * mirror of a regression's {@code threshold} (-0.0909 for 0.10).
     */
    public double improvementBound() {
        return 1 / (1 + threshold) - 1;
    }

    /**
     * How many of the sorted resamples lie below the interval's lower end (and, symmetrically, above its upper end):
     * the lower end is the resample at this index, the upper end the one at {@code resamples - 1 - index}.
     */
    int tailIndex() {
        return tailIndex(confidence, resamples);
    }

    private static int tailIndex(double confidence, int resamples) {
        // The small epsilon keeps 0.025 * 2000 at 50 despite 1 - 0.95 being 0.050000000000000044 in binary.
        return (int) Math.floor((1 - confidence) / 2 * resamples + 1e-9);
    }

    /** Builder with the defaults of the class comment. */
    public static final class Builder {
        private double threshold = DEFAULT_THRESHOLD;
        private double confidence = DEFAULT_CONFIDENCE;
        private int minSamples = DEFAULT_MIN_SAMPLES;
        private long noiseFloorNanos = DEFAULT_NOISE_FLOOR_NANOS;
        private int resamples = DEFAULT_RESAMPLES;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        public Builder threshold(double ratio) {
            threshold = ratio;
            return this;
        }

        public Builder confidence(double coverage) {
            confidence = coverage;
            return this;
        }

        public Builder minSamples(int perSide) {
            minSamples = perSide;
            return this;
        }

        public Builder noiseFloorNanos(long nanos) {
            noiseFloorNanos = nanos;
            return this;
        }

        public Builder resamples(int count) {
            resamples = count;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public CompareSettings build() {
            return new CompareSettings(threshold, confidence, minSamples, noiseFloorNanos, resamples, seed);
        }
    }
}
