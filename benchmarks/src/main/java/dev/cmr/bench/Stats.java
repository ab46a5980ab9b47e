package dev.cmr.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Order statistics the alternating-block harnesses (MonitorOverhead, MarksOnOff, ProfilingOverhead) report. */
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

    /**
     * Per round of blocks in the order on, off, off, on: the mean of its two on blocks over the mean of its two off
     * blocks. {@code on} and {@code off} hold two blocks per round each, in round order.
     */
    static double[] perRoundRatios(double[] on, double[] off) {
        double[] ratios = new double[on.length / 2];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = (on[2 * r] + on[2 * r + 1]) / (off[2 * r] + off[2 * r + 1]);
        }
        return ratios;
    }

    /** The 2.5% and 97.5% percentiles of the median over {@code resamples} resamples with replacement (seeded). */
    static double[] bootstrapMedianInterval(double[] v, int resamples) {
        SplittableRandom random = new SplittableRandom(11);
        double[] medians = new double[resamples];
        double[] sample = new double[v.length];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < v.length; i++) {
                sample[i] = v[random.nextInt(v.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (resamples * 0.025)], medians[(int) (resamples * 0.975)]};
    }
}
