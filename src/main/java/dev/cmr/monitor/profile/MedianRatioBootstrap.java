package dev.cmr.monitor.profile;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap interval of {@code log(current median / baseline median)} for two samples of nanoseconds.
 * Stateless apart from its settings; thread-safe. Each call allocates its working arrays once (a count per sample
 * value, a log-ratio per resample) and nothing per resample.
 *
 * <p>One resample draws {@code n} indices into a side's sorted samples with replacement and takes the median of the
 * drawn values. Because the samples are sorted, that median is found by counting how often each index was drawn and
 * walking the counts to the middle rank: O(n) per resample, no copy and no sort. Each side draws from its own stream,
 * so the order in which the sides are resampled does not matter.
 *
 * <p>The interval's ends are the resamples at ranks {@code k} and {@code B - 1 - k} of the sorted log-ratios
 * ({@link CompareSettings#tailIndex()}). The ranks are symmetric and the log-ratio of a swapped pair is the exact
 * negation of the original ({@code a - b == -(b - a)} in IEEE arithmetic), so swapping the sides, streams included,
 * negates and swaps the ends exactly.
 */
final class MedianRatioBootstrap {
    /** The interval's ends, natural logarithms of current median / baseline median. */
    record LogInterval(double lower, double upper) {
    }

    private final int resamples;
    private final int tailIndex;

    MedianRatioBootstrap(CompareSettings settings) {
        this.resamples = settings.resamples();
        this.tailIndex = settings.tailIndex();
    }

    /**
     * The interval for two non-empty samples, each sorted ascending, each resampled from a stream seeded with its
     * own seed.
     */
    LogInterval interval(long[] sortedBaseline, long baselineSeed, long[] sortedCurrent, long currentSeed) {
        SplittableRandom baselineDraws = new SplittableRandom(baselineSeed);
        SplittableRandom currentDraws = new SplittableRandom(currentSeed);
        int[] counts = new int[Math.max(sortedBaseline.length, sortedCurrent.length)];
        double[] logRatios = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double baselineMedian = resampledMedian(sortedBaseline, baselineDraws, counts);
            double currentMedian = resampledMedian(sortedCurrent, currentDraws, counts);
            logRatios[b] = logRatio(currentMedian, baselineMedian);
        }
        Arrays.sort(logRatios);
        return new LogInterval(logRatios[tailIndex], logRatios[resamples - 1 - tailIndex]);
    }

    /** The median of a sorted, non-empty sample: the middle value, or the mean of the two middle values. */
    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
    }

    /**
     * {@code log(current / baseline)}, defined as 0 when the two are equal so that two zero medians (possible in a
     * resample even when the full sample's median is not) compare as no change instead of NaN; a zero on one side
     * gives an infinity, which sorts to its end of the interval.
     */
    private static double logRatio(double current, double baseline) {
        return current == baseline ? 0 : Math.log(current) - Math.log(baseline);
    }

    /** The median of one resample of {@code sorted} drawn from {@code draws}; {@code counts} is scratch space. */
    private static double resampledMedian(long[] sorted, SplittableRandom draws, int[] counts) {
        int n = sorted.length;
        Arrays.fill(counts, 0, n, 0);
        for (int i = 0; i < n; i++) {
            counts[draws.nextInt(n)]++;
        }
        // The 0-based middle ranks of n values: equal when n is odd.
        int lowRank = (n - 1) / 2;
        int highRank = n / 2;
        long low = 0;
        boolean lowFound = false;
        int drawnSoFar = 0;
        for (int i = 0; ; i++) {
            drawnSoFar += counts[i];
            if (!lowFound && drawnSoFar > lowRank) {
                low = sorted[i];
                lowFound = true;
            }
            if (drawnSoFar > highRank) {
                return (low + (double) sorted[i]) / 2;
            }
        }
    }
}
