package dev.cmr.bench;

import java.util.Arrays;

/** Order statistics the alternating-block harnesses (MonitorOverhead, MarksOnOff) report. */
final class Stats {
    private Stats() {
    }

    /** The median of {@code v} (not modified); the mean of the middle two for an even length. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The smallest value, or NaN for none. */
    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
