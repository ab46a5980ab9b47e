package dev.cmr.monitor.profile;

import java.util.Arrays;

/**
 * Immutable per-pass samples of one metric, in nanoseconds, one per pass that had the metric, in pass order: what
 * {@code compare} tests for a change, beside the mean the profile reports. Equal when the values are equal.
 */
public final class Samples {
    static final Samples NONE = new Samples(new long[0]);

    private final long[] values;

    private Samples(long[] values) {
        this.values = values;
    }

    public static Samples of(long... values) {
        return values.length == 0 ? NONE : new Samples(values.clone());
    }

    public int size() {
        return values.length;
    }

    public long get(int index) {
        return values[index];
    }

    /** A copy of the values. */
    public long[] toArray() {
        return values.clone();
    }

    /** The mean, or null when there are no samples. */
    public Double mean() {
        if (values.length == 0) {
            return null;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Samples other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
