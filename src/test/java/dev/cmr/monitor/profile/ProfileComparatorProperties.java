package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ProfileComparatorProperties {
    private static final ProfileComparator COMPARATOR = new ProfileComparator(CompareSettings.DEFAULTS);
    private static final String KEY = "forward/layer 0/host_ns";

    private static MetricChange compare(long[] baseline, long[] current) {
        return COMPARATOR.compare(Map.of(KEY, baseline), Map.of(KEY, current)).change(KEY).orElseThrow();
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Samples at or above the default noise floor, so that every comparison of them is judged. */
    @Property(tries = 200)
    void identicalRunsShowNoChangeWithAnIntervalAroundZero(
            @ForAll @Size(min = 10, max = 300) List<@LongRange(min = 1_000, max = 1_000_000_000) Long> samples) {
        long[] run = toArray(samples);

        MetricChange change = compare(run, run.clone());

        assertThat(change.relativeChange()).isZero();
        assertThat(change.intervalContains(0)).as("[%s, %s]", change.changeLower(), change.changeUpper()).isTrue();
        assertThat(change.status()).isEqualTo(ChangeStatus.UNCHANGED);
    }

    @Property(tries = 200)
    void swappingTheRunsMirrorsStatusChangeAndInterval(
            @ForAll @Size(min = 10, max = 200) List<@LongRange(min = 1_000, max = 10_000_000) Long> baseline,
            @ForAll @Size(min = 10, max = 200) List<@LongRange(min = 1_000, max = 10_000_000) Long> current) {
        MetricChange forward = compare(toArray(baseline), toArray(current));
        MetricChange swapped = compare(toArray(current), toArray(baseline));

        assertThat(swapped.status()).isEqualTo(mirror(forward.status()));
        assertCloseTo(swapped.relativeChange(), reverse(forward.relativeChange()));
        assertCloseTo(swapped.changeLower(), reverse(forward.changeUpper()));
        assertCloseTo(swapped.changeUpper(), reverse(forward.changeLower()));
    }

    /**
     * Every baseline pass within 10% of {@code base}, every current pass {@code factor} times its baseline pass: any
     * resample's ratio of medians is at least {@code factor / 1.1 >= 1.136}, beyond the 1.10 threshold.
     */
    @Property(tries = 200)
    void aClearSlowdownIsARegressionAndSwappedAnImprovement(
            @ForAll @Size(min = 10, max = 100) List<@DoubleRange(min = 0, max = 0.1) Double> jitter,
            @ForAll @LongRange(min = 1_000, max = 100_000_000) long base,
            @ForAll @DoubleRange(min = 1.25, max = 4) double factor) {
        long[] baseline = jitter.stream().mapToLong(j -> Math.round(base * (1 + j))).toArray();
        long[] current = NoisyPasses.scaled(baseline, factor);

        assertThat(compare(baseline, current).status()).isEqualTo(ChangeStatus.REGRESSION);
        assertThat(compare(current, baseline).status()).isEqualTo(ChangeStatus.IMPROVEMENT);
    }

    /** Equal but for rounding: within 1e-12 relative (changes can reach thousands with four decades of samples). */
    private static void assertCloseTo(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
    }

    private static ChangeStatus mirror(ChangeStatus status) {
        return switch (status) {
            case REGRESSION -> ChangeStatus.IMPROVEMENT;
            case IMPROVEMENT -> ChangeStatus.REGRESSION;
            default -> status;
        };
    }

    /** The relative change of the swapped runs: baseline / current - 1 from current / baseline - 1. */
    private static double reverse(double change) {
        return 1 / (1 + change) - 1;
    }
}
