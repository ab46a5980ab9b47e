package dev.cmr.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resource values on time-series entries: attached as given, kept (newest reading) when tiers downsample. */
class IntervalResourcesTest {

    /** Raw interval {@code i} with resource gauges whose values name the interval they were read in. */
    static IntervalSnapshot withResources(long i, Map<String, Double> resources) {
        IntervalSnapshot raw = TieredHistoryTest.raw(i);
        return new IntervalSnapshot(raw.startEpochMillis(), raw.endEpochMillis(), raw.intervals(), raw.capture(),
                raw.reconstruction(), raw.retrieval(), raw.layer(), raw.syncWait(), raw.device(), raw.forward(),
                raw.statesCaptured(),
                raw.statesStored(), raw.memoriesUsed(), raw.cacheHits(), raw.evictions(), raw.errors(), raw.rejected(),
                raw.bufferEntries(), raw.bufferBytes(), raw.bufferUtilization(), resources);
    }

    @Test
    void mergeTakesTheNewerValueOfEachGaugeAndKeepsGaugesOnlyTheOlderHas() {
        IntervalSnapshot older = withResources(0, Map.of("host.process_rss_bytes", 100.0, "nvml0.gpu_power_mw", 7.0));
        IntervalSnapshot newer = withResources(1, Map.of("host.process_rss_bytes", 200.0, "jvm.jvm_thread_count", 9.0));

        IntervalSnapshot merged = older.merge(newer);

        assertThat(merged.resources()).containsExactly(
                Map.entry("host.process_rss_bytes", 200.0),
                Map.entry("jvm.jvm_thread_count", 9.0),
                Map.entry("nvml0.gpu_power_mw", 7.0));
        assertThat(merged.intervals()).isEqualTo(2);
    }

    @Test
    void anEntryWithoutResourcesHasAnEmptyMapAndMergingTwoStaysEmpty() {
        IntervalSnapshot plain = TieredHistoryTest.raw(0);

        assertThat(plain.resources()).isEmpty();
        assertThat(plain.merge(TieredHistoryTest.raw(1)).resources()).isEmpty();
    }

    @Test
    void downsampledTiersKeepResourcesAsTheNewestReadingOfTheirSpan() {
        TieredHistory history = new TieredHistory(40); // 3 tiers of about 13: entries merge 10 and then 100 raw ones
        int added = 2000;
        for (long i = 0; i < added; i++) {
            history.add(withResources(i, Map.of("host.interval_index", (double) i)));
        }

        List<IntervalSnapshot> entries = history.entries();
        assertThat(entries).anySatisfy(e -> assertThat(e.intervals()).isGreaterThan(10));
        for (IntervalSnapshot e : entries) {
            // Raw interval i ends at T0 + (i + 1) s, so the newest raw interval of an entry is end - 1.
            long newest = (e.endEpochMillis() - TieredHistoryTest.raw(0).startEpochMillis()) / 1000 - 1;
            assertThat(e.resources()).containsExactly(Map.entry("host.interval_index", (double) newest));
        }
    }
}
