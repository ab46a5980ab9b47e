package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntervalEquivalenceTest {

    @Test
    void intervalSnapshotsAddUpToEveryRecordMade() {
        // The schedule is out of the way so that the 40 intervals are exactly the 40 closed here, however slow the
        // machine (with the default 1 s, a slow run let the collector close a 41st).
        MonitoringConfig manualIntervals = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(manualIntervals)) {
            SplittableRandom random = new SplittableRandom(7);
            long captures = 0, captureNanos = 0, stored = 0, retrievals = 0, hits = 0, evictions = 0, forwards = 0;
            for (int round = 0; round < 40; round++) {
                int n = random.nextInt(0, 500);
                for (int i = 0; i < n; i++) {
                    int layer = random.nextInt(32);
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            int s = random.nextInt(5);
                            long nanos = random.nextLong(100, 5_000_000);
                            monitor.recordCapture(layer, s + 1, s, nanos);
                            captures++;
                            captureNanos += nanos;
                            stored += s;
                        }
                        case 1 -> {
                            boolean hit = random.nextBoolean();
                            monitor.recordRetrieval(layer, 10, 3, hit, random.nextLong(100, 50_000));
                            retrievals++;
                            hits += hit ? 1 : 0;
                        }
                        case 2 -> {
                            int e = random.nextInt(3);
                            monitor.recordEviction(layer, e);
                            evictions += e;
                        }
                        default -> {
                            monitor.recordForward(random.nextLong(1_000, 90_000_000));
                            forwards++;
                        }
                    }
                }
                monitor.collectInterval();
            }

            List<IntervalSnapshot> history = monitor.getHistory();
            assertThat(history).hasSize(40);
            assertThat(sum(history, s -> s.capture().count())).isEqualTo(captures);
            assertThat(sum(history, s -> s.capture().totalNanos())).isEqualTo(captureNanos);
            assertThat(sum(history, IntervalSnapshot::statesStored)).isEqualTo(stored);
            assertThat(sum(history, s -> s.retrieval().count())).isEqualTo(retrievals);
            assertThat(sum(history, IntervalSnapshot::cacheHits)).isEqualTo(hits);
            assertThat(sum(history, IntervalSnapshot::evictions)).isEqualTo(evictions);
            assertThat(sum(history, s -> s.forward().count())).isEqualTo(forwards);

            MonitorStats stats = monitor.getStats();
            assertThat(stats.totalCaptures()).isEqualTo(captures);
            assertThat(stats.timing(Stage.CAPTURE).overall().totalNanos()).isEqualTo(captureNanos);
            // Interval maxima come from the interval histograms: the largest one is the exact overall maximum
            // rounded up to its bucket, at most 1/128 above it.
            long exactMax = stats.timing(Stage.FORWARD).overall().maxNanos();
            assertThat(history.stream().mapToLong(s -> s.forward().maxNanos()).max().orElseThrow())
                    .isBetween(exactMax, exactMax + exactMax / 128);
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).startEpochMillis()).isEqualTo(history.get(i - 1).endEpochMillis());
            }
        }
    }

    @Test
    void intervalsAddUpWhileWritersRunAgainstTheCollector() throws Exception {
        MonitoringConfig fast = MonitoringConfig.builder().metricCollectionInterval(0.01).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(fast)) {
            Thread[] writers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                writers[w] = new Thread(() -> {
                    for (int i = 0; i < 3_000_000; i++) {
                        monitor.recordCapture(i & 31, 1, 1, 2_000L);
                    }
                });
                writers[w].start();
            }
            for (Thread t : writers) {
                t.join();
            }
            monitor.close(); // stop the schedule, then close the last interval by hand
            monitor.collectInterval();

            List<IntervalSnapshot> history = monitor.getHistory();
            assertThat(history.size()).isGreaterThan(1);
            assertThat(sum(history, s -> s.capture().count())).isEqualTo(6_000_000L);
            assertThat(sum(history, IntervalSnapshot::statesStored)).isEqualTo(6_000_000L);
        }
    }

    @Test
    void intervalPercentilesDescribeOnlyThatInterval() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
                MonitoringConfig.builder().metricCollectionInterval(3600).build())) {
            for (int i = 0; i < 100; i++) {
                monitor.recordForward(1_000_000L);
            }
            IntervalSnapshot first = monitor.collectInterval();
            for (int i = 0; i < 100; i++) {
                monitor.recordForward(50_000_000L);
            }
            IntervalSnapshot second = monitor.collectInterval();

            assertThat(first.forward().p99Nanos()).isBetween(1_000_000L, 1_010_000L);
            assertThat(second.forward().p50Nanos()).isBetween(50_000_000L, 50_400_000L);
            assertThat(second.forward().maxNanos()).isBetween(50_000_000L, 50_400_000L);
            assertThat(second.forward().count()).isEqualTo(100);
        }
    }

    private static long sum(List<IntervalSnapshot> history, java.util.function.ToLongFunction<IntervalSnapshot> f) {
        return history.stream().mapToLong(f).sum();
    }
}
