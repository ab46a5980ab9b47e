package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.record.HdrLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.LatencySummary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CmrPerformanceMonitorTest {
    private final CmrPerformanceMonitor monitor = new CmrPerformanceMonitor();

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void captureOfFiveStatesAtLayerTwoIsCountedThere() {
        monitor.recordCapture(2, 5, 0.002);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.statesStoredPerLayer()).containsExactly(Map.entry(2, 5L));
        assertThat(stats.totalCaptures()).isEqualTo(1);
        assertThat(stats.toMap().get("states_stored_per_layer")).isEqualTo(Map.of(2, 5L));
    }

    @Test
    void reconstructionAtLayerThreeCountsOneThere() {
        monitor.recordReconstruction(3, 4, 0.001);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.reconstructionsPerLayer()).containsExactly(Map.entry(3, 1L));
        assertThat(stats.totalReconstructions()).isEqualTo(1);
    }

    @Test
    void averagesAreInSeconds() {
        monitor.recordCapture(4, 10, 0.002);
        monitor.recordCapture(4, 10, 0.004);
        monitor.recordReconstruction(1, 2, 3_000_000L);

        Map<String, Object> map = monitor.getStats().toMap();
        assertThat((double) map.get("avg_capture_time")).isCloseTo(0.003, within(1e-12));
        assertThat((double) map.get("avg_reconstruction_time")).isCloseTo(0.003, within(1e-12));
    }

    @Test
    void averagesAreAbsentBeforeAnythingWasRecordedAsInTheSeed() {
        Map<String, Object> map = monitor.getStats().toMap();
        assertThat(map).doesNotContainKeys("avg_capture_time", "avg_reconstruction_time");
        assertThat(map).containsEntry("total_captures", 0L);
    }

    @Test
    void resetReturnsAllCountsToZero() {
        monitor.recordCapture(2, 8, 5, 1_000L);
        monitor.recordReconstruction(3, 1, 1_000L);
        monitor.recordRetrieval(1, 10, 3, true, 1_000L);
        monitor.recordEviction(1, 4);
        monitor.recordForward(5_000L);
        monitor.recordCapture(-1, 1, 1_000L);
        monitor.recordError("hooks", new IllegalStateException());
        monitor.collectInterval();

        monitor.reset();

        MonitorStats stats = monitor.getStats();
        assertThat(stats.totalCaptures()).isZero();
        assertThat(stats.totalReconstructions()).isZero();
        assertThat(stats.statesStoredPerLayer()).isEmpty();
        assertThat(stats.reconstructionsPerLayer()).isEmpty();
        assertThat(stats.retrieval().totalRetrievals()).isZero();
        assertThat(stats.buffer().evictionCount()).isZero();
        assertThat(stats.totalForwards()).isZero();
        assertThat(stats.totalRejected()).isZero();
        assertThat(stats.totalErrors()).isZero();
        assertThat(stats.timing(Stage.CAPTURE).overall()).isEqualTo(LatencySummary.EMPTY);
        assertThat(monitor.getHistory()).isEmpty();
    }

    @Test
    void recordsAfterResetCountFromZeroOnTheSameThread() {
        monitor.recordCapture(2, 5, 1_000L);
        monitor.getStats();
        monitor.reset();
        monitor.recordCapture(2, 3, 2_000L);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.statesStoredPerLayer()).containsExactly(Map.entry(2, 3L));
        assertThat(stats.timing(Stage.CAPTURE).overall().maxNanos()).isEqualTo(bucketTop(2_000L));
        assertThat(stats.timing(Stage.CAPTURE).overall().count()).isEqualTo(1);
    }

    @Test
    void aResetForgetsEarlierDurationsInPercentilesAndMaximumToo() {
        monitor.recordCapture(0, 1, 1_000_000L);
        for (int i = 0; i < 100; i++) {
            monitor.recordCapture(0, 1, 1_000L);
        }
        monitor.reset();
        for (int i = 0; i < 10; i++) {
            monitor.recordCapture(0, 1, 1_000L);
        }
        monitor.recordCapture(0, 1, 5_000L);

        LatencySummary capture = monitor.getStats().timing(Stage.CAPTURE).overall();
        assertThat(capture.count()).isEqualTo(11);
        assertThat(capture.totalNanos()).isEqualTo(15_000L);
        assertThat(capture.maxNanos()).isEqualTo(bucketTop(5_000L));
        assertThat(capture.p90Nanos()).isEqualTo(bucketTop(1_000L));
        assertThat(capture.p99Nanos()).isEqualTo(bucketTop(5_000L));
    }

    @Test
    void valuesRecordedBetweenReadsRaiseTheMaximumFromAnyThread() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            monitor.recordCapture(4, 1, 1_000L);
        }
        assertThat(monitor.getStats().timing(Stage.CAPTURE).overall().maxNanos()).isEqualTo(bucketTop(1_000L));

        monitor.recordCapture(4, 1, 5_000_000L);
        LatencySummary afterLarge = monitor.getStats().timing(Stage.CAPTURE).overall();
        assertThat(afterLarge.maxNanos()).isEqualTo(bucketTop(5_000_000L));
        assertThat(afterLarge.p99Nanos()).isEqualTo(bucketTop(5_000_000L));

        monitor.recordCapture(4, 1, 2_000L); // below the top: the maximum stays
        Thread other = new Thread(() -> monitor.recordCapture(4, 1, 40_000_000L)); // another thread, a new top
        other.start();
        other.join();
        LatencySummary afterOther = monitor.getStats().timing(Stage.CAPTURE).overall();
        assertThat(afterOther.count()).isEqualTo(13);
        assertThat(afterOther.maxNanos()).isEqualTo(bucketTop(40_000_000L));
        assertThat(monitor.getStats().timing(Stage.CAPTURE).perLayer().get(4).p50Nanos()).isEqualTo(bucketTop(1_000L));
    }

    @Test
    void repeatedResetsEachStartFromZeroWithLiveAndDeadThreads() throws InterruptedException {
        for (int round = 1; round <= 3; round++) {
            Thread writer = new Thread(() -> monitor.recordCapture(1, 4, 2, 3_000L));
            writer.start();
            writer.join();
            monitor.recordCapture(1, 4, 2, 3_000L);
            monitor.getStats(); // folds the dead writer's counts into the retired ones
            monitor.reset();
            assertThat(monitor.getStats().totalCaptures()).isZero();

            for (int i = 0; i < round; i++) {
                monitor.recordCapture(1, 4, 2, 7_000L);
            }
            MonitorStats stats = monitor.getStats();
            assertThat(stats.totalCaptures()).isEqualTo(round);
            assertThat(stats.statesCapturedPerLayer()).containsExactly(Map.entry(1, 4L * round));
            assertThat(stats.timing(Stage.CAPTURE).overall().p50Nanos()).isEqualTo(bucketTop(7_000L));
            monitor.reset();
        }
    }

    @Test
    void statsReflectRecordsMadeByAnotherThreadThatHappenedBefore() throws InterruptedException {
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                monitor.recordCapture(i % 4, 2, 1, 10_000L + i);
            }
        });
        writer.start();
        writer.join(); // join is the happens-before edge

        MonitorStats stats = monitor.getStats();
        assertThat(stats.totalCaptures()).isEqualTo(1000);
        assertThat(stats.statesCapturedPerLayer()).containsOnly(
                Map.entry(0, 500L), Map.entry(1, 500L), Map.entry(2, 500L), Map.entry(3, 500L));
        assertThat(stats.timing(Stage.CAPTURE).overall().maxNanos()).isEqualTo(bucketTop(10_999L));
    }

    @Test
    void readYourWritesAfterEveryRecord() {
        for (int i = 1; i <= 50; i++) {
            monitor.recordRetrieval(7, 10, 5, i % 2 == 0, 100L * i);
            assertThat(monitor.getStats().retrieval().totalRetrievals()).isEqualTo(i);
        }
    }

    @Test
    void percentilesMatchHdrHistogramFedTheSameValues() {
        Histogram reference = new Histogram(1, (1L << 36) - 1, 2);
        SplittableRandom random = new SplittableRandom(42);
        long sum = 0;
        long max = 0;
        for (int i = 0; i < 20_000; i++) {
            long nanos = 1_000 + (long) (Math.exp(random.nextDouble() * 12) * 100);
            monitor.recordCapture(i % 3, 1, nanos);
            reference.recordValue(nanos);
            sum += nanos;
            max = Math.max(max, nanos);
        }

        LatencySummary overall = monitor.getStats().timing(Stage.CAPTURE).overall();
        assertThat(overall.count()).isEqualTo(20_000);
        assertThat(overall.totalNanos()).isEqualTo(sum);
        assertThat(overall.maxNanos()).isEqualTo(reference.getMaxValue()).isEqualTo(bucketTop(max));
        assertThat(overall.p50Nanos()).isEqualTo(reference.getValueAtPercentile(50));
        assertThat(overall.p90Nanos()).isEqualTo(reference.getValueAtPercentile(90));
        assertThat(overall.p99Nanos()).isEqualTo(reference.getValueAtPercentile(99));
    }

    @Test
    void perLayerTimingOnlyListsLayersThatRecorded() {
        monitor.recordCapture(5, 1, 1_000L);
        monitor.recordCapture(5, 1, 3_000L);
        monitor.recordCapture(9, 1, 2_000L);

        Map<Integer, LatencySummary> perLayer = monitor.getStats().timing(Stage.CAPTURE).perLayer();
        assertThat(perLayer).containsOnlyKeys(5, 9);
        assertThat(perLayer.get(5).count()).isEqualTo(2);
        assertThat(perLayer.get(5).meanNanos()).isEqualTo(2_000.0);
        assertThat(perLayer.get(9).maxNanos()).isEqualTo(bucketTop(2_000L));
    }

    @Test
    void efficiencyAndRetrievalRatiosFollowFromTheRecords() {
        monitor.recordCapture(0, 10, 4, 1_000L);
        monitor.recordCapture(1, 10, 6, 1_000L);
        monitor.recordEviction(0, 2);
        monitor.recordRetrieval(0, 20, 5, true, 1_000L);
        monitor.recordRetrieval(0, 20, 5, false, 3_000L);
        monitor.recordRetrieval(0, 20, 5, true, 2_000L);
        monitor.recordRetrieval(0, 20, 5, true, 2_000L);
        monitor.recordReconstruction(0, 3, 1_000L, 0.8);
        monitor.recordReconstruction(0, 3, 1_000L, 0.4);
        monitor.recordReconstruction(0, 3, 1_000L); // no quality: does not enter the mean

        MonitorStats stats = monitor.getStats();
        assertThat(stats.efficiency().captureEfficiency()).isEqualTo(0.5);
        assertThat(stats.efficiency().storageEfficiency()).isEqualTo(0.8);
        assertThat(stats.efficiency().reconstructionQuality()).isCloseTo(0.6, within(1e-9));
        assertThat(stats.efficiency().cacheHitRate()).isEqualTo(0.75);
        assertThat(stats.efficiency().memoryUtilization()).isNull();
        assertThat(stats.buffer().evictionCount()).isEqualTo(2);
        assertThat(stats.buffer().evictionRate()).isEqualTo(0.2);
        assertThat(stats.retrieval().cacheHits()).isEqualTo(3);
        assertThat(stats.retrieval().avgRetrievalSeconds()).isCloseTo(2e-6, within(1e-15));
        assertThat(stats.retrieval().candidates()).isEqualTo(80);
        assertThat(stats.retrieval().returned()).isEqualTo(20);
    }

    @Test
    void ratiosAreNullWhenThereIsNothingToDivideBy() {
        MonitorStats stats = monitor.getStats();
        assertThat(stats.efficiency().captureEfficiency()).isNull();
        assertThat(stats.efficiency().cacheHitRate()).isNull();
        assertThat(stats.efficiency().reconstructionQuality()).isNull();
        assertThat(stats.buffer().evictionRate()).isNull();
        assertThat(stats.toMap()).extracting("efficiency").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("cache_hit_rate", null);
    }

    @Test
    void bufferStatsComeFromTheGaugeAtSnapshotTime() {
        long[] entries = {3};
        monitor.setBufferGauge(() -> new BufferReading(Map.of(0, entries[0], 4, 5L), 2L * 1024 * 1024, 16));
        assertThat(monitor.getStats().buffer().totalEntries()).isEqualTo(8);
        entries[0] = 11;

        MonitorStats stats = monitor.getStats();
        assertThat(stats.buffer().totalEntries()).isEqualTo(16);
        assertThat(stats.buffer().entriesPerLayer()).containsOnly(Map.entry(0, 11L), Map.entry(4, 5L));
        assertThat(stats.buffer().memorySizeMb()).isEqualTo(2.0);
        assertThat(stats.buffer().utilizationRate()).isEqualTo(1.0);
        assertThat(stats.efficiency().memoryUtilization()).isEqualTo(1.0);
    }

    @Test
    void aFailingGaugeIsCountedAsAnErrorAndStatsStillCome() {
        monitor.setBufferGauge(() -> {
            throw new IllegalStateException("buffer closed");
        });

        MonitorStats stats = monitor.getStats();
        assertThat(stats.buffer().totalEntries()).isNull();
        assertThat(stats.errorsByComponent()).containsEntry("buffer_gauge",
                Map.of(IllegalStateException.class.getName(), 1L));
    }

    @Test
    void errorsAreCountedPerComponentAndExceptionClass() {
        monitor.recordError("retrieval", new IllegalStateException());
        monitor.recordError("retrieval", new IllegalStateException());
        monitor.recordError("retrieval", new ArithmeticException());
        monitor.recordError("hooks", new RuntimeException());
        monitor.recordError(null, null);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.totalErrors()).isEqualTo(5);
        assertThat(stats.errorsByComponent().get("retrieval")).containsOnly(
                Map.entry(IllegalStateException.class.getName(), 2L), Map.entry(ArithmeticException.class.getName(), 1L));
        assertThat(stats.errorsByComponent().get("unknown")).containsOnly(Map.entry("unknown", 1L));
    }

    @Test
    void errorComponentsAreBounded() {
        for (int i = 0; i < 500; i++) {
            monitor.recordError("request-" + i, new RuntimeException());
        }
        MonitorStats stats = monitor.getStats();
        assertThat(stats.totalErrors()).isEqualTo(500);
        assertThat(stats.errorsByComponent()).hasSizeLessThanOrEqualTo(ErrorCounter.MAX_KEYS + 1);
        assertThat(stats.errorsByComponent().get(ErrorCounter.OTHER).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(500 - ErrorCounter.MAX_KEYS);
    }

    @Test
    void boundHandlesRecordLikeTheFacade() {
        var capture = monitor.captureRecorder(6);
        var reconstruction = monitor.reconstructionRecorder(6);
        var retrieval = monitor.retrievalRecorder(6);
        var eviction = monitor.evictionRecorder(6);
        capture.record(4, 3, 1_000L);
        reconstruction.record(2, 1_000L, 0.5);
        retrieval.record(9, 2, true, 1_000L);
        eviction.record(7);
        capture.record(1, 2, 1_000L); // inconsistent: rejected, not thrown

        MonitorStats stats = monitor.getStats();
        assertThat(stats.statesCapturedPerLayer()).containsExactly(Map.entry(6, 4L));
        assertThat(stats.reconstructionsPerLayer()).containsExactly(Map.entry(6, 1L));
        assertThat(stats.retrieval().cacheHits()).isEqualTo(1);
        assertThat(stats.buffer().evictionCount()).isEqualTo(7);
        assertThat(stats.rejectedRecords()).containsEntry("inconsistent_counts", 1L);
    }

    @Test
    void bindingAHandleOutsideTheLayerRangeFailsWithTheRange() {
        assertThatThrownBy(() -> monitor.captureRecorder(32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer must be in [0, 32) (max_layers), was 32");
    }

    @Test
    void statsJsonUsesTheSeedKeys() {
        monitor.recordCapture(2, 5, 0.002);
        String json = monitor.getStats().toJson();
        assertThat(json).contains("\"total_captures\" : 1", "\"states_stored_per_layer\" : {\n    \"2\" : 5",
                "\"capture_times\"", "\"total_forward_time\"", "\"capture_efficiency\"", "\"eviction_rate\"",
                "\"avg_retrieval_time\"", "\"rejected_records\"");
    }

    @Test
    void layerTimesAreKeptPerLayer() {
        monitor.recordLayer(0, 4_000L);
        monitor.layerRecorder(3).record(9_000L);
        monitor.layerRecorder(3).record(-1L);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.timing(Stage.LAYER).perLayer()).containsOnlyKeys(0, 3);
        assertThat(stats.timing(Stage.LAYER).overall().totalNanos()).isEqualTo(13_000L);
        assertThat(stats.rejectedRecords()).containsEntry("negative_duration", 1L);
        assertThat(stats.toMap()).extracting("timing").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("layer_times");
    }

    @Test
    void syncWaitAndDeviceTimesAreSeparateStagesPerLayer() {
        monitor.recordLayer(2, 10_000L);
        monitor.recordSyncWait(2, 6_000L);
        monitor.syncWaitRecorder(2).record(1_000L);
        monitor.recordDeviceTime(2, 50_000L);
        monitor.deviceTimeRecorder(5).record(70_000L);
        monitor.recordDeviceTime(-1, 1L);
        monitor.recordSyncWait(2, -5L);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.timing(Stage.LAYER).overall().totalNanos()).isEqualTo(10_000L);
        assertThat(stats.timing(Stage.SYNC_WAIT).perLayer()).containsOnlyKeys(2);
        assertThat(stats.timing(Stage.SYNC_WAIT).overall().totalNanos()).isEqualTo(7_000L);
        assertThat(stats.timing(Stage.DEVICE).perLayer()).containsOnlyKeys(2, 5);
        assertThat(stats.timing(Stage.DEVICE).overall().count()).isEqualTo(2);
        assertThat(stats.rejectedRecords()).containsEntry("layer_out_of_range", 1L)
                .containsEntry("negative_duration", 1L);
        assertThat(stats.toMap()).extracting("timing").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("sync_wait_times", "device_times");
        IntervalSnapshot interval = monitor.collectInterval();
        assertThat(interval.syncWait().count()).isEqualTo(2);
        assertThat(interval.device().totalNanos()).isEqualTo(120_000L);
    }

    @Test
    void durationHandlesExistOnlyForStagesThatCarryNothingButADuration() {
        assertThatThrownBy(() -> monitor.recording().durationRecorder(Stage.CAPTURE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage must be layer, sync_wait or device, was capture");
    }

    @Test
    void durationsBeyondTheInitialRangeGrowTheSlotWithoutLosingCounts() {
        Histogram reference = new Histogram(1, (1L << 36) - 1, 2);
        long[] values = {1_500L, 40_000_000L, 2_000L, 16_000_000L, 70_000_000_000L, 3_000L};
        for (long v : values) {
            monitor.recordCapture(1, 1, v);
            reference.recordValue(Math.min(v, (1L << 36) - 1));
        }
        monitor.recordForward(50_000_000L); // a slot whose very first value is beyond the initial range

        MonitorStats stats = monitor.getStats();
        LatencySummary capture = stats.timing(Stage.CAPTURE).overall();
        assertThat(capture.count()).isEqualTo(values.length);
        // Beyond the trackable range the maximum is the range's top; the sum stays exact.
        assertThat(capture.maxNanos()).isEqualTo(HdrLayout.HIGHEST_TRACKABLE_NANOS);
        assertThat(capture.totalNanos()).isEqualTo(java.util.Arrays.stream(values).sum());
        assertThat(capture.p50Nanos()).isEqualTo(reference.getValueAtPercentile(50));
        assertThat(capture.p90Nanos()).isEqualTo(reference.getValueAtPercentile(90));
        assertThat(stats.timing(Stage.FORWARD).overall().p50Nanos()).isBetween(50_000_000L, 50_400_000L);
    }

    @Test
    void infiniteSecondsAreRejectedAndHugeDurationsSaturateTheSum() {
        monitor.recordForward(Double.POSITIVE_INFINITY);
        monitor.recordForward(Long.MAX_VALUE);
        monitor.recordForward(Long.MAX_VALUE);

        MonitorStats stats = monitor.getStats();
        assertThat(stats.rejectedRecords()).containsEntry("negative_duration", 1L);
        assertThat(stats.totalForwards()).isEqualTo(2);
        assertThat(stats.totalForwardNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void alertChannelMisconfigurationFailsAtConstructionBeforeAnyMonitorThreadStarts() {
        MonitoringConfig fileWithoutPath = MonitoringConfig.builder().alertChannels(List.of("file")).build();
        Set<Long> before = monitorThreadIds();

        assertThatThrownBy(() -> new CmrPerformanceMonitor(fileWithoutPath))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("alert_channels contains \"file\" but no alert file is set");
        // A thread started before the failure would outlive the monitor nobody can close.
        assertThat(monitorThreadIds()).isSubsetOf(before);
    }

    private static Set<Long> monitorThreadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("cmr-monitor-"))
                .map(Thread::getId)
                .collect(Collectors.toSet());
    }

    /** The largest value in {@code nanos}'s bucket: what the monitor reports as the maximum when {@code nanos} is. */
    static long bucketTop(long nanos) {
        return HdrLayout.newHistogram().highestEquivalentValue(nanos);
    }
}
