package dev.cmr.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TieredHistoryTest {

    private static final long INTERVAL_MILLIS = 1000;
    private static final long T0 = 1_700_000_000_000L;

    /**
     * Raw interval number {@code i}: [T0 + i s, T0 + (i + 1) s), with counts that vary by interval so that a lost or
     * double-counted entry shows up in the sums.
     */
    static IntervalSnapshot raw(long i) {
        long captures = 1 + i % 7;
        StageInterval capture = new StageInterval(captures, captures * 1_000_000L, 2_000_000L, 900_000L, 1_900_000L);
        StageInterval forward = new StageInterval(1, 5_000_000L + i, 5_000_000L + i, 5_000_000L, 5_000_000L);
        return new IntervalSnapshot(T0 + i * INTERVAL_MILLIS, T0 + (i + 1) * INTERVAL_MILLIS, 1,
                capture, StageInterval.EMPTY, StageInterval.EMPTY, StageInterval.EMPTY, StageInterval.EMPTY,
                StageInterval.EMPTY, forward,
                captures * 2, captures, 0, 0, i % 3, i % 5 == 0 ? 1 : 0, 0,
                i, i * 100, 0.5);
    }

    static long capturesOf(long i) {
        return 1 + i % 7;
    }

    private static void assertInvariants(TieredHistory h, int maxEntries, long added) {
        List<IntervalSnapshot> entries = h.entries();
        assertThat(entries).hasSizeLessThanOrEqualTo(maxEntries).hasSize(h.size());
        if (added == 0) {
            assertThat(entries).isEmpty();
            return;
        }
        assertThat(entries).isNotEmpty();
        long covered = 0;
        for (int k = 0; k < entries.size(); k++) {
            IntervalSnapshot e = entries.get(k);
            assertThat(e.intervals()).isPositive();
            // each entry spans exactly the raw intervals it merged
            assertThat(e.endEpochMillis() - e.startEpochMillis()).isEqualTo(e.intervals() * INTERVAL_MILLIS);
            if (k > 0) {
                assertThat(e.startEpochMillis()).as("entry %d starts where entry %d ends", k, k - 1)
                        .isEqualTo(entries.get(k - 1).endEpochMillis());
            }
            covered += e.intervals();
        }
        // what is kept is the newest suffix of what was added: nothing newer is ever dropped
        assertThat(covered).isLessThanOrEqualTo(added);
        assertThat(entries.get(0).startEpochMillis()).isEqualTo(T0 + (added - covered) * INTERVAL_MILLIS);
        assertThat(entries.get(entries.size() - 1)).isEqualTo(raw(added - 1));
        // counts are conserved by merging: the entries hold exactly the counts of the raw intervals they cover
        long expectedCaptures = 0;
        for (long i = added - covered; i < added; i++) {
            expectedCaptures += capturesOf(i);
        }
        assertThat(entries.stream().mapToLong(e -> e.capture().count()).sum()).isEqualTo(expectedCaptures);
        assertThat(entries.stream().mapToLong(e -> e.forward().count()).sum()).isEqualTo(covered);
    }

    @ParameterizedTest(name = "max {0}")
    @ValueSource(ints = {50, 1000})
    void neverHoldsMoreThanMaxEntries(int maxEntries) {
        TieredHistory h = new TieredHistory(maxEntries, 10);
        int peak = 0;
        for (int i = 0; i < 100_000; i++) {
            h.add(raw(i));
            peak = Math.max(peak, h.size());
        }

        assertThat(peak).isLessThanOrEqualTo(maxEntries);
        assertThat(h.size()).isLessThanOrEqualTo(maxEntries).isGreaterThan(maxEntries / 2);
        assertInvariants(h, maxEntries, 100_000);
    }

    @ParameterizedTest(name = "max {0}, factor {1}")
    @CsvSource({"1, 10", "2, 10", "11, 10", "22, 10", "50, 10", "44, 10", "45, 3", "100, 2", "7, 1"})
    void invariantsHoldAfterEveryAdd(int maxEntries, int factor) {
        TieredHistory h = new TieredHistory(maxEntries, factor);
        for (int i = 0; i < 3000; i++) {
            h.add(raw(i));
            assertInvariants(h, maxEntries, i + 1);
        }
    }

    @Property(tries = 60)
    void invariantsHoldForAnySizeAndFactor(@ForAll @IntRange(min = 1, max = 300) int maxEntries,
                                           @ForAll @IntRange(min = 1, max = 20) int factor,
                                           @ForAll @IntRange(min = 0, max = 4000) int adds) {
        TieredHistory h = new TieredHistory(maxEntries, factor);
        for (int i = 0; i < adds; i++) {
            h.add(raw(i));
        }
        assertInvariants(h, maxEntries, adds);
    }

    @Test
    void entriesAreOldestFirstAndContiguous() {
        TieredHistory h = new TieredHistory(50, 10);
        for (int i = 0; i < 5000; i++) {
            h.add(raw(i));
        }

        List<IntervalSnapshot> entries = h.entries();

        for (int k = 1; k < entries.size(); k++) {
            assertThat(entries.get(k).startEpochMillis()).isEqualTo(entries.get(k - 1).endEpochMillis());
            assertThat(entries.get(k).startEpochMillis()).isGreaterThan(entries.get(k - 1).startEpochMillis());
        }
        assertThat(entries.get(entries.size() - 1).endEpochMillis()).isEqualTo(T0 + 5000 * INTERVAL_MILLIS);
    }

    @Test
    void mergingConservesCountsWhileNothingFellOffTheLastTier() {
        // 4 tiers of 250, factor 10: far more than 2,000 raw intervals fit before the last tier drops anything.
        TieredHistory h = new TieredHistory(1000, 10);
        long added = 2000;
        long capturesAdded = 0;
        long errorsAdded = 0;
        for (int i = 0; i < added; i++) {
            IntervalSnapshot s = raw(i);
            h.add(s);
            capturesAdded += s.capture().count();
            errorsAdded += s.errors();
        }

        List<IntervalSnapshot> entries = h.entries();

        assertThat(entries.stream().mapToLong(IntervalSnapshot::intervals).sum()).isEqualTo(added);
        assertThat(entries.stream().mapToLong(e -> e.capture().count()).sum()).isEqualTo(capturesAdded);
        assertThat(entries.stream().mapToLong(e -> e.capture().totalNanos()).sum())
                .isEqualTo(capturesAdded * 1_000_000L);
        assertThat(entries.stream().mapToLong(IntervalSnapshot::errors).sum()).isEqualTo(errorsAdded);
        assertThat(entries.stream().mapToLong(IntervalSnapshot::statesCaptured).sum()).isEqualTo(2 * capturesAdded);
        assertThat(entries.size()).isLessThan((int) added);
    }

    @Test
    void mergedEntrySpansItsIntervalsAndKeepsLatestBufferReading() {
        TieredHistory h = new TieredHistory(22, 10); // 2 tiers of 11
        for (int i = 0; i < 12; i++) {
            h.add(raw(i));
        }

        IntervalSnapshot merged = h.entries().get(0);

        assertThat(merged.intervals()).isEqualTo(10);
        assertThat(merged.startEpochMillis()).isEqualTo(raw(0).startEpochMillis());
        assertThat(merged.endEpochMillis()).isEqualTo(raw(9).endEpochMillis());
        assertThat(merged.bufferEntries()).isEqualTo(raw(9).bufferEntries());
        assertThat(merged.bufferBytes()).isEqualTo(raw(9).bufferBytes());
        assertThat(merged.forward().maxNanos()).isEqualTo(raw(9).forward().maxNanos());
        assertThat(merged.forward().count()).isEqualTo(10);
        assertThat(h.entries()).hasSize(3);
    }

    @Test
    void oldestEntriesAreMergedAfterEnoughAdds() {
        TieredHistory h = new TieredHistory(50, 10); // 4 tiers: raw, x10, x100, x1000
        for (int i = 0; i < 100_000; i++) {
            h.add(raw(i));
        }

        List<IntervalSnapshot> entries = h.entries();

        assertThat(entries.get(0).intervals()).isGreaterThan(1).isEqualTo(1000);
        assertThat(entries.get(entries.size() - 1).intervals()).isEqualTo(1);
        for (int k = 1; k < entries.size(); k++) {
            assertThat(entries.get(k).intervals()).as("resolution never gets coarser towards the newest entry")
                    .isLessThanOrEqualTo(entries.get(k - 1).intervals());
        }
    }

    @Test
    void defaultHistorySpansAboutSeventySevenHoursOfOneSecondIntervals() {
        TieredHistory h = new TieredHistory(1000);
        for (int i = 0; i < 400_000; i++) {
            h.add(raw(i));
        }

        List<IntervalSnapshot> entries = h.entries();
        long spanMillis = entries.get(entries.size() - 1).endEpochMillis() - entries.get(0).startEpochMillis();

        assertThat(entries).hasSizeLessThanOrEqualTo(1000);
        assertThat(spanMillis / 3_600_000.0).isBetween(75.0, 78.0);
        assertThat(h.recent(1000)).hasSizeBetween(241, 250); // the newest ~250 s at full resolution
    }

    @Test
    void recentReturnsNewestRawEntriesOldestFirst() {
        TieredHistory h = new TieredHistory(1000, 10);
        for (int i = 0; i < 100; i++) {
            h.add(raw(i));
        }

        assertThat(h.recent(5)).containsExactly(raw(95), raw(96), raw(97), raw(98), raw(99));
        assertThat(h.recent(1)).containsExactly(raw(99));
        assertThat(h.recent(0)).isEmpty();
    }

    @Test
    void recentNeverReturnsMergedEntries() {
        TieredHistory h = new TieredHistory(50, 10); // raw tier holds at most 13
        for (int i = 0; i < 1000; i++) {
            h.add(raw(i));
        }

        List<IntervalSnapshot> recent = h.recent(100);

        assertThat(recent).isNotEmpty().hasSizeLessThanOrEqualTo(13)
                .allSatisfy(e -> assertThat(e.intervals()).isEqualTo(1));
        List<IntervalSnapshot> expected = new ArrayList<>();
        for (int i = 1000 - recent.size(); i < 1000; i++) {
            expected.add(raw(i));
        }
        assertThat(recent).isEqualTo(expected);
    }

    @Test
    void clearEmptiesAndHistoryIsUsableAfterwards() {
        TieredHistory h = new TieredHistory(50, 10);
        for (int i = 0; i < 1000; i++) {
            h.add(raw(i));
        }

        h.clear();

        assertThat(h.size()).isZero();
        assertThat(h.entries()).isEmpty();
        assertThat(h.recent(10)).isEmpty();

        h.add(raw(5000));
        assertThat(h.entries()).containsExactly(raw(5000));
    }

    @Test
    void emptyHistoryHasNoEntries() {
        TieredHistory h = new TieredHistory(10);

        assertThat(h.size()).isZero();
        assertThat(h.entries()).isEmpty();
        assertThat(h.recent(3)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsNonPositiveMaxEntries(int maxEntries) {
        assertThatThrownBy(() -> new TieredHistory(maxEntries))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max_history_size must be >= 1, was " + maxEntries);
    }
}
