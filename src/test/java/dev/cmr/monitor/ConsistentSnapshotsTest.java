package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code getStats()} taken while threads record: every snapshot reads each thread's slot at a record boundary, so
 * ratios derived from one record call are exact, lie in [0, 1], and equal the published numerator over the
 * published denominator.
 */
class ConsistentSnapshotsTest {
    private static final int WRITERS = 4;
    private static final int SNAPSHOTS = 2_000;
    /** On a loaded machine the snapshots stop here; at least {@link #MIN_SNAPSHOTS} must have been taken. */
    private static final long MAX_READ_NANOS = 4_000_000_000L;
    private static final int MIN_SNAPSHOTS = 100;

    @Test
    void snapshotsTakenWhileFourThreadsRecordAreConsistentAndRatiosOfOneReadExactlyOne() throws Exception {
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(WRITERS);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int layer = w % 2;
            Thread t = new Thread(() -> {
                started.countDown();
                while (!stop.get()) {
                    // Each call's true ratio is exactly 1: all captured states stored, every retrieval a cache hit,
                    // every reconstruction of quality 1.
                    monitor.recordCapture(layer, 3, 3, 1_000);
                    monitor.recordRetrieval(layer, 5, 5, true, 1_000);
                    monitor.recordReconstruction(layer, 2, 1_000, 1.0);
                }
            }, "writer-" + w);
            t.start();
            writers.add(t);
        }
        List<String> violations = new ArrayList<>();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long readStart = System.nanoTime();
            for (int i = 0; i < SNAPSHOTS && violations.size() < 10; i++) {
                if (i >= MIN_SNAPSHOTS && System.nanoTime() - readStart > MAX_READ_NANOS) {
                    break;
                }
                MonitorStats s = monitor.getStats();
                long captured = s.statesCapturedPerLayer().values().stream().mapToLong(Long::longValue).sum();
                long stored = s.statesStoredPerLayer().values().stream().mapToLong(Long::longValue).sum();
                MonitorStats.Efficiency e = s.efficiency();
                MonitorStats.RetrievalStats r = s.retrieval();
                String at = "snapshot " + i + ": captures=" + s.totalCaptures() + " captured=" + captured
                        + " stored=" + stored + " retrievals=" + r.totalRetrievals() + " hits=" + r.cacheHits()
                        + " capture_efficiency=" + e.captureEfficiency() + " cache_hit_rate=" + r.cacheHitRate()
                        + " reconstruction_quality=" + e.reconstructionQuality();
                boolean consistent = captured == 3 * s.totalCaptures() && stored == captured
                        && r.cacheHits() == r.totalRetrievals() && r.returned() == 5 * r.totalRetrievals()
                        && r.candidates() == r.returned();
                boolean exact = (e.captureEfficiency() == null || e.captureEfficiency() == 1.0)
                        && (r.cacheHitRate() == null || r.cacheHitRate() == 1.0)
                        && (e.cacheHitRate() == null || e.cacheHitRate() == 1.0)
                        && (e.reconstructionQuality() == null || e.reconstructionQuality() == 1.0);
                if (!consistent || !exact) {
                    violations.add(at);
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(10_000);
            }
        }
        assertThat(violations).isEmpty();

        MonitorStats last = monitor.getStats();
        assertThat(last.totalCaptures()).isPositive();
        assertThat(last.efficiency().captureEfficiency()).isEqualTo(1.0);
    }

    /** Evictions may remove entries stored before a reset, so they can outnumber the stores counted since. */
    @Test
    void ratiosOfEvictionsToStoresAreClampedToTheUnitInterval() {
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor();
        monitor.recordCapture(0, 4, 2, 1_000);
        monitor.recordEviction(0, 5);

        MonitorStats s = monitor.getStats();

        assertThat(s.buffer().evictionCount()).isEqualTo(5);
        assertThat(s.buffer().evictionRate()).isEqualTo(1.0);
        assertThat(s.efficiency().storageEfficiency()).isEqualTo(0.0);
        assertThat(s.efficiency().captureEfficiency()).isEqualTo(0.5);
    }

    @Test
    void retrievalQualityIsTheMeanOfTheQualitiesRecordedWithRetrievals() {
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor();
        monitor.recordRetrieval(0, 10, 2, false, 1_000, 0.25);
        monitor.recordRetrieval(1, 10, 2, true, 1_000, 0.75);
        monitor.recordRetrieval(0, 5, 0, false, 1_000);       // no quality: not in the mean
        monitor.recordRetrieval(0, 5, 1, false, 1_000, 1.5);  // out of [0, 1]: rejected

        MonitorStats s = monitor.getStats();

        assertThat(s.retrieval().totalRetrievals()).isEqualTo(3);
        assertThat(s.retrieval().cacheHits()).isEqualTo(1);
        assertThat(s.retrieval().retrievalQuality()).isEqualTo(0.5);
        assertThat(s.rejectedRecords()).containsEntry("invalid_quality", 1L);
        assertThat(s.toJson()).contains("\"retrieval_quality\" : 0.5");
        assertThat(new CmrPerformanceMonitor().getStats().retrieval().retrievalQuality()).isNull();
    }
}
