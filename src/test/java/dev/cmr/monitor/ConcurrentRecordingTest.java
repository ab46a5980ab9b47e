package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrentRecordingTest {
    private static final int PER_THREAD = 2_000_000;
    private static final int LAYERS = 32;

    @Test
    void twoWritersAndASnapshotReaderGiveExactTotals() throws Exception {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                Thread t = new Thread(() -> {
                    await(start);
                    for (int i = 0; i < PER_THREAD; i++) {
                        int layer = (i + seed) % LAYERS;
                        monitor.recordCapture(layer, 3, 2, 1_000L + (i & 1023));
                        if ((i & 7) == 0) {
                            monitor.recordRetrieval(layer, 4, 1, (i & 8) == 0, 500L);
                        }
                    }
                }, "writer-" + w);
                t.start();
                writers.add(t);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            List<Long> observed = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    long previous = 0;
                    while (writing.get()) {
                        MonitorStats stats = monitor.getStats();
                        long captures = stats.totalCaptures();
                        // Counts only grow; and since a writer publishes COUNT after the state counts and the reader
                        // loads COUNT first, every counted capture has its two stored states visible.
                        assertThat(captures).isGreaterThanOrEqualTo(previous);
                        long stored = stats.statesStoredPerLayer().values().stream().mapToLong(Long::longValue).sum();
                        assertThat(stored).isGreaterThanOrEqualTo(2 * captures);
                        previous = captures;
                        observed.add(captures);
                    }
                } catch (Throwable e) {
                    readerFailure.set(e);
                }
            });
            reader.start();
            start.countDown();
            for (Thread t : writers) {
                t.join();
            }
            writing.set(false);
            reader.join();

            assertThat(readerFailure.get()).isNull();
            MonitorStats stats = monitor.getStats();
            long expected = 2L * PER_THREAD;
            assertThat(stats.totalCaptures()).isEqualTo(expected);
            assertThat(stats.timing(Stage.CAPTURE).overall().count()).isEqualTo(expected);
            assertThat(stats.statesCapturedPerLayer().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(3 * expected);
            assertThat(stats.statesStoredPerLayer().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(2 * expected);
            assertThat(stats.statesStoredPerLayer()).hasSize(LAYERS)
                    .allSatisfy((layer, stored) -> assertThat(stored).isEqualTo(2 * expected / LAYERS));
            assertThat(stats.retrieval().totalRetrievals()).isEqualTo(2L * PER_THREAD / 8);
            assertThat(stats.retrieval().cacheHits()).isEqualTo(PER_THREAD / 8);
            long expectedSum = 0;
            for (int i = 0; i < PER_THREAD; i++) {
                expectedSum += 1_000L + (i & 1023);
            }
            assertThat(stats.timing(Stage.CAPTURE).overall().totalNanos()).isEqualTo(2 * expectedSum);
            assertThat(observed).isNotEmpty();
        }
    }

    @Test
    void aDeadThreadsCountsSurviveFoldingAndItsRecorderIsDropped() throws Exception {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            for (int round = 0; round < 20; round++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        monitor.recordCapture(i % 4, 1, 1_000L * (1 + i % 10));
                    }
                });
                t.start();
                t.join();
                assertThat(monitor.getStats().totalCaptures()).isEqualTo(1000L * (round + 1));
            }
            MonitorStats stats = monitor.getStats();
            assertThat(stats.timing(Stage.CAPTURE).overall().count()).isEqualTo(20_000);
            assertThat(stats.timing(Stage.CAPTURE).overall().maxNanos()).isEqualTo(CmrPerformanceMonitorTest.bucketTop(10_000L));
            assertThat(stats.timing(Stage.CAPTURE).perLayer().get(0).p50Nanos()).isGreaterThan(0);
            assertThat(MonitorInternals.liveRecorders(monitor)).isZero();
        }
    }

    @Test
    void manyThreadsEachFindTheirOwnRecorder() throws Exception {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            int threads = 40;
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(threads);
            CountDownLatch release = new CountDownLatch(1);
            for (int w = 0; w < threads; w++) {
                int layer = w % LAYERS;
                int stored = w + 1;
                new Thread(() -> {
                    await(start);
                    for (int i = 0; i < 10_000; i++) {
                        monitor.recordCapture(layer, stored, stored, 1_000L);
                    }
                    done.countDown();
                    await(release); // stay alive: live recorders are read, not folded
                }).start();
            }
            start.countDown();
            done.await();
            MonitorStats stats = monitor.getStats();
            assertThat(MonitorInternals.liveRecorders(monitor)).isEqualTo(threads);
            assertThat(stats.totalCaptures()).isEqualTo(threads * 10_000L);
            long expectedStored = 0;
            for (int w = 0; w < threads; w++) {
                expectedStored += (w + 1) * 10_000L;
            }
            assertThat(stats.statesStoredPerLayer().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(expectedStored);
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
