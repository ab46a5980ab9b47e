package dev.cmr.bench;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The least-squares line through one series of soak samples (x in minutes) and whether the series is flat.
 *
 * <p>{@code slopePerMinute} is the fitted slope, {@code low}..{@code high} its 95% confidence interval from the
 * t-distribution with n - 2 degrees of freedom (commons-math's {@link SimpleRegression}), {@code mean} the mean of
 * the series, {@code intercept} the fitted value at x = 0. The series is <b>flat</b> when the interval contains 0
 * (no trend shown) or lies wholly within ±{@link #NEGLIGIBLE_PER_MINUTE} of the mean per minute (a trend too small
 * to matter: at most 1% over 10 minutes). Otherwise it is <b>rising</b> or <b>falling</b>. A constant series has a
 * zero-width interval at 0: flat. Fewer than three samples give NaN bounds and the verdict "too few samples".
 */
public record LinearTrend(int n, double mean, double intercept, double slopePerMinute, double low, double high) {
    /** The negligible slope, as a fraction of the series' mean per minute. */
    public static final double NEGLIGIBLE_PER_MINUTE = 0.001;

    public static LinearTrend fit(double[] minutes, double[] values) {
        if (minutes.length != values.length) {
            throw new IllegalArgumentException("minutes and values differ in length: " + minutes.length + " vs "
                    + values.length);
        }
        SimpleRegression r = new SimpleRegression();
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            r.addData(minutes[i], values[i]);
            sum += values[i];
        }
        double slope = r.getSlope();
        double half = values.length < 3 ? Double.NaN : r.getSlopeConfidenceInterval(0.05);
        return new LinearTrend(values.length, sum / values.length, r.getIntercept(), slope, slope - half,
                slope + half);
    }

    /** The negligible bound for this series, in its units per minute. */
    public double negligiblePerMinute() {
        return Math.abs(mean) * NEGLIGIBLE_PER_MINUTE;
    }

    public String verdict() {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return "too few samples";
        }
        double bound = negligiblePerMinute();
        if ((low <= 0 && high >= 0) || (low >= -bound && high <= bound)) {
            return "flat";
        }
        return slopePerMinute > 0 ? "rising" : "falling";
    }
}
