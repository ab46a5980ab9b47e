package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;
import static dev.cmr.monitor.profile.Formats.percent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares the per-pass samples of a baseline run with those of a current run, metric by metric, and says which
 * metrics regressed or improved by more than a threshold. Immutable and thread-safe; offline (it allocates freely).
 *
 * <p>Input: for each run, a map from a metric key (e.g. {@code forward/layer 3/host_ns}) to that metric's samples,
 * one per pass, in nanoseconds on the host clock, none negative. Neither map nor any key or array may be null.
 *
 * <p>Rules, per key, in this order ({@link CompareSettings} holds the numbers):
 * <ol>
 * <li>In one run only: ADDED or REMOVED.
 * <li>Fewer than {@code min_samples} on a side: NOT_ENOUGH_DATA.
 * <li>Both medians below {@code noise_floor_ns}: NOT_JUDGED; at that scale the clock's resolution and jitter are
 *     a large part of every sample. When only one is, samples are judged with every value below the floor raised to
 *     it: differences below the floor are noise, and a metric that grows from nothing (a sync wait of 0 ns becoming
 *     50 µs) is then a ratio of 50 against the floor, not a division by zero.
 * <li>Otherwise the change is judged on the ratio of medians {@code r = median(current) / median(baseline)} and its
 *     bootstrap interval {@code [lo, hi]} at {@code confidence}: REGRESSION when {@code lo > 1 + threshold},
 *     IMPROVEMENT when {@code hi < 1 / (1 + threshold)}, else UNCHANGED. Reported changes are {@code r - 1}, with a
 *     median below the floor counted as the floor, as the interval counts it.
 * </ol>
 * A flag thus needs the change to be both statistically supported (the whole interval is on one side) and practically
 * large (that side is beyond the threshold). The threshold is symmetric in ratio, not in percent: at 0.10 a regression
 * is a slowdown of more than 10%, an improvement a speed-up of more than 9.1% (a 10% slowdown undone), so that
 * swapping the two runs turns every regression into an improvement and back.
 *
 * <p>Why this method. Per-pass times on a shared 2-core machine are right-skewed, with rare passes several times
 * slower (garbage collection, preemption, frequency changes). The median per pass is what a report shows and is
 * unmoved by a few such passes, where the mean is not. The percentile bootstrap (resample each side with replacement
 * {@code resamples} times, take the ratio of the resampled medians, read its percentiles) assumes nothing about the
 * distribution's shape; Hodges-Lehmann with a Mann-Whitney interval would also be robust, but it estimates a shift
 * that assumes the two runs have the same shape, which a change that slows only some passes breaks. The interval alone
 * is not enough: with hundreds of passes it excludes 1 for the few-percent drift between two runs of the same build
 * on a noisy machine, which is real but no regression; the threshold alone is not enough either, since with few
 * passes one slow pass moves the median past it. Hence both. The interval is read on log-ratios, in which a change and
 * its reverse are mirror images.
 *
 * <p>Reproducible: each side's resampling stream is seeded from {@code seed}, the key and that side's samples, so the
 * same inputs always give the same result whatever the map order or the other keys, and swapping the runs swaps the
 * streams with the samples (the interval's ends are then exactly negated in log terms). Two identical sides get
 * distinct streams, so the interval still reflects their spread.
 *
 * <p>Limits: passes are taken as exchangeable, so a trend within a run (warm-up) must be kept out of the samples; a
 * percentile interval of a median is somewhat too narrow for small samples, which {@code min_samples} bounds.
 */
public final class ProfileComparator {
    private final CompareSettings settings;
    private final MedianRatioBootstrap bootstrap;
    /** {@code log(1 + threshold)}: the judgement in log-ratio terms. */
    private final double logThreshold;

    public ProfileComparator(CompareSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bootstrap = new MedianRatioBootstrap(settings);
        this.logThreshold = Math.log1p(settings.threshold());
    }

    public CompareSettings settings() {
        return settings;
    }

    /**
     * One {@link MetricChange} per key of either map.
     *
     * @throws IllegalArgumentException naming the run and key of a null array or a negative sample
     */
    public ProfileComparison compare(Map<String, long[]> baseline, Map<String, long[]> current) {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(current, "current");
        TreeSet<String> keys = new TreeSet<>(baseline.keySet());
        keys.addAll(current.keySet());
        List<MetricChange> changes = new ArrayList<>(keys.size());
        for (String key : keys) {
            long[] b = baseline.containsKey(key) ? sortedSamples("baseline", key, baseline.get(key)) : null;
            long[] c = current.containsKey(key) ? sortedSamples("current", key, current.get(key)) : null;
            changes.add(compare(key, b, c));
        }
        return new ProfileComparison(settings, changes);
    }

    private MetricChange compare(String key, long[] baseline, long[] current) {
        if (baseline == null) {
            return new MetricChange(key, ChangeStatus.ADDED, 0, current.length, null, medianOrNull(current), null,
                    null, null, "only in the current run (" + current.length + " samples)");
        }
        if (current == null) {
            return new MetricChange(key, ChangeStatus.REMOVED, baseline.length, 0, medianOrNull(baseline), null, null,
                    null, null, "only in the baseline (" + baseline.length + " samples)");
        }
        Double baselineMedian = medianOrNull(baseline);
        Double currentMedian = medianOrNull(current);
        Double change = baselineMedian != null && currentMedian != null && baselineMedian > 0
                ? currentMedian / baselineMedian - 1 : null;
        if (baseline.length < settings.minSamples() || current.length < settings.minSamples()) {
            return unjudged(key, ChangeStatus.NOT_ENOUGH_DATA, baseline, current, change,
                    baseline.length + " baseline and " + current.length + " current samples; at least "
                            + settings.minSamples() + " per side are needed");
        }
        long floor = settings.noiseFloorNanos();
        if (baselineMedian < floor && currentMedian < floor) {
            return unjudged(key, ChangeStatus.NOT_JUDGED, baseline, current, change, "baseline median "
                    + duration(baselineMedian) + " and current median " + duration(currentMedian)
                    + " are below the noise floor of " + duration((double) floor) + ", where timer noise dominates");
        }
        // Judged as the bootstrap sees them: a median below the floor counts as the floor.
        change = Math.max(currentMedian, floor) / Math.max(baselineMedian, floor) - 1;
        long baselineSeed = streamSeed(key, baseline);
        MedianRatioBootstrap.LogInterval logInterval = bootstrap.interval(atLeast(baseline, floor), baselineSeed,
                atLeast(current, floor), currentSeed(key, current, baselineSeed));
        double lower = Math.expm1(logInterval.lower());
        double upper = Math.expm1(logInterval.upper());
        ChangeStatus status = logInterval.lower() > logThreshold ? ChangeStatus.REGRESSION
                : logInterval.upper() < -logThreshold ? ChangeStatus.IMPROVEMENT : ChangeStatus.UNCHANGED;
        String measured = "median " + duration(baselineMedian) + " -> " + duration(currentMedian) + ", "
                + percent(change) + ", " + Formats.coverage(settings.confidence()) + " interval "
                + Formats.interval(lower, upper);
        String regressionBound = percent(settings.threshold());
        String improvementBound = percent(settings.improvementBound());
        String verdict = switch (status) {
            case REGRESSION -> "all above " + regressionBound;
            case IMPROVEMENT -> "all below " + improvementBound;
            default -> "not wholly above " + regressionBound + " nor below " + improvementBound;
        };
        return new MetricChange(key, status, baseline.length, current.length, baselineMedian, currentMedian, change,
                lower, upper, measured + ": " + verdict);
    }

    private static MetricChange unjudged(String key, ChangeStatus status, long[] baseline, long[] current,
            Double change, String reason) {
        return new MetricChange(key, status, baseline.length, current.length, medianOrNull(baseline),
                medianOrNull(current), change, null, null, reason);
    }

    /** {@code samples} with every value below {@code floor} raised to it (a copy when any is). */
    private static long[] atLeast(long[] samples, long floor) {
        long[] out = samples;
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] < floor) {
                if (out == samples) {
                    out = samples.clone();
                }
                out[i] = floor;
            }
        }
        return out;
    }

    private static Double medianOrNull(long[] sorted) {
        return sorted.length == 0 ? null : MedianRatioBootstrap.median(sorted);
    }

    private static long[] sortedSamples(String run, String key, long[] samples) {
        if (key == null) {
            throw new IllegalArgumentException(run + ": null metric key");
        }
        if (samples == null) {
            throw new IllegalArgumentException(run + ": " + key + " has no samples array (null)");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException(run + ": " + key + " has a negative sample (" + sorted[0] + " ns)");
        }
        return sorted;
    }

    /** The seed of a side's resampling stream: from the base seed, the key and the side's (sorted) samples. */
    private long streamSeed(String key, long[] sortedSamples) {
        return mix(mix(settings.seed() ^ key.hashCode()) ^ Arrays.hashCode(sortedSamples));
    }

    /** The current side's seed, moved off the baseline's when they collide (identical samples) to keep draws apart. */
    private long currentSeed(String key, long[] sortedCurrent, long baselineSeed) {
        long seed = streamSeed(key, sortedCurrent);
        return seed == baselineSeed ? mix(seed + 1) : seed;
    }

    /** SplitMix64's finalizer: spreads every input bit over the output, so nearby seeds give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
