package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.NoisyPasses.constant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileComparisonTest {
    private static final ProfileComparator COMPARATOR = new ProfileComparator(CompareSettings.DEFAULTS);

    /** One key of every status, from constant passes so that every number is exact. */
    private static ProfileComparison everyStatus() {
        return COMPARATOR.compare(
                Map.of("a/same", constant(20, 10_000), "b/slower", constant(20, 10_000),
                        "c/faster", constant(20, 10_000), "d/removed", constant(20, 7_000),
                        "f/tiny", constant(20, 500), "g/a little slower", constant(20, 10_000),
                        "h/few", constant(3, 10_000)),
                Map.of("a/same", constant(20, 10_000), "b/slower", constant(20, 15_000),
                        "c/faster", constant(20, 5_000), "e/added", constant(20, 3_000_000),
                        "f/tiny", constant(20, 900), "g/a little slower", constant(20, 12_000),
                        "h/few", constant(3, 12_000)));
    }

    @Test
    void tableListsRegressionsFirstLargestFirstThenTheOtherStatusesInOrder() {
        assertThat(everyStatus().toTable()).isEqualTo("""
                metric             baseline   current  change      95% interval  status
                b/slower           10.00 us  15.00 us  +50.0%  [+50.0%, +50.0%]  REGRESSION
                g/a little slower  10.00 us  12.00 us  +20.0%  [+20.0%, +20.0%]  REGRESSION
                c/faster           10.00 us   5.00 us  -50.0%  [-50.0%, -50.0%]  IMPROVEMENT
                e/added                   -  3.000 ms       -                 -  ADDED
                d/removed           7.00 us         -       -                 -  REMOVED
                h/few              10.00 us  12.00 us  +20.0%                 -  NOT_ENOUGH_DATA
                f/tiny               500 ns    900 ns  +80.0%                 -  NOT_JUDGED
                a/same             10.00 us  10.00 us   +0.0%    [+0.0%, +0.0%]  UNCHANGED
                2 REGRESSION, 1 IMPROVEMENT, 1 ADDED, 1 REMOVED, 1 NOT_ENOUGH_DATA, 1 NOT_JUDGED, 1 UNCHANGED; \
                regression above +10.0%, improvement below -9.1%, 95% bootstrap interval of the ratio of medians \
                (2000 resamples)
                """);
    }

    @Test
    void changesAreInReportOrderAndHasRegressionSaysWhetherAnyIsARegression() {
        ProfileComparison comparison = everyStatus();
        ProfileComparison withoutRegression = COMPARATOR.compare(Map.of("a", constant(20, 10_000)),
                Map.of("a", constant(20, 5_000)));

        assertThat(comparison.changes()).extracting(MetricChange::key).containsExactly("b/slower",
                "g/a little slower", "c/faster", "e/added", "d/removed", "h/few", "f/tiny", "a/same");
        assertThat(comparison.hasRegression()).isTrue();
        assertThat(withoutRegression.hasRegression()).isFalse();
        assertThat(withoutRegression.withStatus(ChangeStatus.IMPROVEMENT)).hasSize(1);
    }

    @Test
    void anEmptyComparisonSaysSo() {
        ProfileComparison empty = COMPARATOR.compare(Map.of(), Map.of());

        assertThat(empty.hasRegression()).isFalse();
        assertThat(empty.toTable()).startsWith("metric  baseline  current  change  95% interval  status\nno metrics;");
    }

    @Test
    void isImmutable() {
        ProfileComparison comparison = everyStatus();
        List<MetricChange> changes = comparison.changes();

        assertThatThrownBy(() -> changes.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aJudgedChangeCarriesItsIntervalAndAnUnjudgedOneNone() {
        assertThatThrownBy(() -> new MetricChange("k", ChangeStatus.UNCHANGED, 10, 10, 1.0, 1.0, 0.0, null, null, "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k: a UNCHANGED change needs interval");
        assertThatThrownBy(() -> new MetricChange("k", ChangeStatus.ADDED, 0, 10, null, 1.0, null, 0.0, 0.0, "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k: a ADDED change has no interval");
    }
}
